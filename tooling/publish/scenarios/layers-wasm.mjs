// A user with `@nutshell/layers` and `@nutshell/backend-wasm` (and `@nutshell/backend`, whose useBackend selects it, as
// the wasm README says): the same network, then one line moves it to WASM. Naming 'wasm' is enough: useBackend
// imports the installed plugin package itself.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@nutshell/backend';
import { Dense, Sequential } from '@nutshell/layers';

const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
const model = new Sequential(
  [new Dense({ units: 8, activation: 'tanh', seed: 1 }), new Dense({ units: 1, activation: 'sigmoid', seed: 2 })],
  { inputShape: [2] },
);
const onCpu = Array.from(await model.predict(x).data());
const cpuBackend = tf.getBackend();

await useBackend('wasm'); // the one line

const onWasm = Array.from(await model.predict(tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]])).data());
const grad = tf.grad((t) => tf.sum(tf.square(t)))(tf.tensor1d([1, -2, 3]));
console.log(JSON.stringify({ before: cpuBackend, after: tf.getBackend(), onCpu, onWasm, grad: Array.from(await grad.data()) }));
