// A user who installed the umbrella package: everything from one import.
import { Dense, Sequential, Trainer, lenet, sigmoid, tensor, tf, useBackend, listBackends } from '@nutshell/all';

const s = Array.from(await sigmoid(tensor([0, 2])).data());
const net = lenet({ seed: 7 });
const xor = new Sequential(
  [new Dense({ units: 8, activation: 'tanh', seed: 1 }), new Dense({ units: 1, activation: 'sigmoid', seed: 2 })],
  { inputShape: [2] },
);
const trainer = new Trainer(xor, { loss: 'binaryCrossentropy', optimizer: 'adam', learningRate: 0.1, seed: 3 });
const history = await trainer.fit(
  { x: tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]), y: tf.tensor2d([[0], [1], [1], [0]]) },
  { epochs: 150, batchSize: 4, shuffle: false },
);
const wasm = await useBackend('wasm');
console.log(
  JSON.stringify({
    sigmoid: s,
    lenetParams: net.countParams(),
    firstLoss: history.logs.loss[0],
    lastLoss: history.logs.loss.at(-1),
    switchedTo: wasm.name,
    backends: listBackends().map((b) => b.name).sort(),
  }),
);
