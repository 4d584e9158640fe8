// ConvNetJS (0.3.0, plain JavaScript, one thread) peer for train-peers.ts: the same three workloads, one MNIST epoch
// at batch 64 in a fixed shuffled order. Prints `RESULT {json}` like train-child.ts.
//
//   tsx src/convnetjs-train.ts --workload W1|W2|W3 [--limit n]
//
// ConvNetJS 0.3.0 (the version on npm) has no Adam: W2 and W3 use its 'windowgrad' (RMSprop: a moving average of
// squared gradients, decay 0.95) at the same learning rate 1e-3; W1 is plain SGD 0.1 as for the others. Its
// Trainer averages gradients over the batch like the others. Each sample is a separate forward and backward pass
// (ConvNetJS has no batched kernels), which is its speed.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { readMnist, seededOrder } from './mnistIdx.js';
import { mnistDir } from './tree.js';

interface Vol {
  w: Float64Array | number[];
}
interface Net {
  makeLayers(defs: object[]): void;
  forward(v: Vol, training?: boolean): Vol;
  getPrediction(): number;
}
interface ConvNetJS {
  Vol: new (sx: number, sy: number, depth: number, fill: number) => Vol;
  Net: new () => Net;
  Trainer: new (net: Net, options: object) => { train(x: Vol, y: number): unknown };
}

const { values: args } = parseArgs({
  options: { workload: { type: 'string', default: 'W1' }, limit: { type: 'string' } },
});
const workload = args.workload;
const convnetjs = createRequire(import.meta.url)('convnetjs') as ConvNetJS;
const dir = mnistDir();
const train = readMnist(
  dir,
  'train',
  args.limit ? Number(args.limit) : workload === 'W3' ? 10000 : undefined,
);
const test = readMnist(dir, 'test');

const layers: object[] = [{ type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 }];
if (workload === 'W2') layers.push({ type: 'fc', num_neurons: 128, activation: 'relu' });
if (workload === 'W3')
  layers.push(
    { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
  );
layers.push({ type: 'softmax', num_classes: 10 });
const net = new convnetjs.Net();
net.makeLayers(layers);
const trainer = new convnetjs.Trainer(
  net,
  workload === 'W1'
    ? { method: 'sgd', learning_rate: 0.1, momentum: 0, batch_size: 64, l2_decay: 0 }
    : { method: 'windowgrad', learning_rate: 1e-3, batch_size: 64, l2_decay: 0 },
);

const vol = (x: Float32Array, i: number): Vol => {
  const v = new convnetjs.Vol(28, 28, 1, 0);
  for (let j = 0; j < 784; j++) v.w[j] = x[i * 784 + j];
  return v;
};
const order = seededOrder(train.n);
const cpu0 = process.cpuUsage();
const start = performance.now();
for (const i of order) trainer.train(vol(train.x, i), train.y[i]);
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
let correct = 0;
for (let i = 0; i < test.n; i++) {
  net.forward(vol(test.x, i));
  if (net.getPrediction() === test.y[i]) correct++;
}
console.log(
  `RESULT ${JSON.stringify({
    backend: 'convnetjs 0.3.0',
    samples: train.n,
    seconds,
    samplesPerSec: train.n / seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    testAccuracy: correct / test.n,
  })}`,
);
