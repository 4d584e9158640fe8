// A user who installed only `@nutshell/layers` (and its peer @tensorflow/tfjs-core): a tiny network learns XOR
// on the built-in CPU backend, with nothing configured.
import * as tf from '@tensorflow/tfjs-core';
import { Dense, Sequential } from '@nutshell/layers';

const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = tf.tensor2d([[0], [1], [1], [0]]);
const model = new Sequential(
  [new Dense({ units: 8, activation: 'tanh', seed: 1 }), new Dense({ units: 1, activation: 'sigmoid', seed: 2 })],
  { inputShape: [2] },
);
const variables = model.trainableWeights.map((w) => w.variable);
const optimizer = tf.train.adam(0.1);
let loss = 0;
for (let step = 0; step < 150; step++) {
  const l = optimizer.minimize(() => tf.losses.logLoss(y, model.apply(x, { training: true })), true, variables);
  loss = (await l.data())[0];
  l.dispose();
}
const p = model.predict(x);
console.log(JSON.stringify({ backend: tf.getBackend(), params: model.countParams(), loss, predictions: Array.from(await p.data()) }));
