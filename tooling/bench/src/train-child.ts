// One training run in its own process, started by train-peers.ts: one (library, backend, workload), one MNIST epoch
// at batch 64, shuffled. Prints `RESULT {json}`: samples/s over the epoch (data loading excluded), this process's
// peak RSS, accuracy on the 10,000 test images.
//
//   tsx src/train-child.ts --impl nutshell --root <checkout> --backend auto|wasm|native|cpu --workload W1|W2|W3 [--limit n]
//   tsx src/train-child.ts --impl tfjs-layers --backend wasm|cpu --workload W1|W2|W3 [--limit n]
//
// `--root` picks the checkout whose packages train (default: this one), so that a baseline clone runs its own code.
// tfjs-layers runs stock: @tensorflow/tfjs-core with @tensorflow/tfjs-backend-wasm (or -cpu) and no Nutshell
// package loaded, hence none of Nutshell's kernels, which is what a tfjs user gets.
import { parseArgs } from 'node:util';
import { readMnist } from './mnistIdx.js';
import { BATCH, buildWorkload, loadTree, type Workload } from './nutshellWorkload.js';
import { importFrom, mnistDir, THIS_TREE } from './tree.js';

/** What every child prints, one line, after `RESULT `. */
export interface ChildResult {
  /** The backend that actually ran (after 'auto'). */
  backend: string;
  samples: number;
  seconds: number;
  samplesPerSec: number;
  /** CPU seconds (user + system, all threads) this process spent during the epoch: robust to other jobs' load. */
  cpuSeconds: number;
  peakRssMB: number;
  testAccuracy: number;
}

const { values: args } = parseArgs({
  options: {
    impl: { type: 'string', default: 'nutshell' },
    root: { type: 'string', default: THIS_TREE },
    backend: { type: 'string', default: 'auto' },
    workload: { type: 'string', default: 'W1' },
    limit: { type: 'string' },
  },
});
const workload = args.workload as Workload;
const limit = args.limit ? Number(args.limit) : workload === 'W3' ? 10000 : undefined;

/** CPU seconds (user + system) of this process since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

async function nutshell(): Promise<Omit<ChildResult, 'peakRssMB'>> {
  const tree = await loadTree(args.root);
  const selection = await tree.backend.useBackend(args.backend);
  const train = tree.datasets.loadMnist({ split: 'train', limit });
  const test = tree.datasets.loadMnist({ split: 'test' });
  const { trainer, dataset } = buildWorkload(tree, workload);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await trainer.fit(dataset(train), { epochs: 1, batchSize: BATCH, shuffle: true, seed: 1 });
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  const logs = await trainer.evaluate(dataset(test), { batchSize: 500 });
  return {
    backend: selection.name,
    samples: train.n,
    seconds,
    samplesPerSec: train.n / seconds,
    cpuSeconds,
    testAccuracy: logs.accuracy,
  };
}

async function tfjsLayers(): Promise<Omit<ChildResult, 'peakRssMB'>> {
  type Core = typeof import('@tensorflow/tfjs-core');
  const tf = await importFrom<Core>(THIS_TREE, '@tensorflow/tfjs-core');
  await importFrom(THIS_TREE, `@tensorflow/tfjs-backend-${args.backend}`);
  const tfl = await importFrom<typeof import('@tensorflow/tfjs-layers')>(
    THIS_TREE,
    '@tensorflow/tfjs-layers',
  );
  if (!(await tf.setBackend(args.backend)))
    throw new Error(`tfjs backend ${args.backend} failed to initialise`);
  tf.enableProdMode();
  const dir = mnistDir();
  const train = readMnist(dir, 'train', limit);
  const test = readMnist(dir, 'test');
  const model = tfl.sequential();
  if (workload === 'W1') model.add(tfl.layers.dense({ units: 10, inputShape: [784], activation: 'softmax' }));
  else if (workload === 'W2') {
    model.add(tfl.layers.dense({ units: 128, inputShape: [784], activation: 'relu' }));
    model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  } else {
    model.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, activation: 'relu' }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.flatten());
    model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  }
  const optimizer = workload === 'W1' ? tf.train.sgd(0.1) : tf.train.adam(1e-3);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const shape = (n: number) => (workload === 'W3' ? [n, 28, 28, 1] : [n, 784]);
  const xs = tf.tensor(train.x, shape(train.n));
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from(train.y), 'int32'), 10);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await model.fit(xs, ys, { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  const tx = tf.tensor(test.x, shape(test.n));
  const ty = tf.oneHot(tf.tensor1d(Int32Array.from(test.y), 'int32'), 10);
  const evaluated = model.evaluate(tx, ty, { batchSize: 500 }) as import('@tensorflow/tfjs-core').Scalar[];
  return {
    backend: `tfjs ${args.backend}`,
    samples: train.n,
    seconds,
    samplesPerSec: train.n / seconds,
    cpuSeconds,
    testAccuracy: (await evaluated[1].data())[0],
  };
}

try {
  const run = args.impl === 'tfjs-layers' ? await tfjsLayers() : await nutshell();
  const result: ChildResult = { ...run, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  console.log(`RESULT ${JSON.stringify(result)}`);
} catch (e) {
  // One line the parent can print in place of a figure (e.g. stock tfjs wasm has no Conv2DBackpropFilter).
  console.log(`ERROR ${(e as Error).message.split('\n')[0]}`);
  process.exitCode = 1;
}
