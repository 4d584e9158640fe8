// One LeNet training step (forward + backward + SGD or Adam update), batch 64, on 'cpu' vs 'wasm', in one run.
//
//   pnpm --filter @nutshell/bench exec tsx src/wasm-lenet-step.ts [--cpu-steps 3] [--wasm-steps 40] [--batch 64] [--optimizer sgd|adam]
//
// LeNet: conv 5×5×8 relu → maxpool 2 → conv 5×5×16 relu → maxpool 2 → dense 10, on 28×28×1 inputs,
// softmax cross-entropy. Written with tfjs ops so that it measures the backends, not a layers library.
// Both backends start from the same seeded weights and batch; the first step's loss must agree.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { tf, useBackend } from '@nutshell/backend';
import { wasmBackend } from '@nutshell/backend-wasm';
import { Rng } from '@nutshell/tensor';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';

const { values: args } = parseArgs({
  options: {
    'cpu-steps': { type: 'string', default: '3' },
    'wasm-steps': { type: 'string', default: '40' },
    batch: { type: 'string', default: '64' },
    optimizer: { type: 'string', default: 'sgd' },
  },
});
const BATCH = Number(args.batch);

const SHAPES: Record<string, number[]> = {
  conv1: [5, 5, 1, 8],
  bias1: [8],
  conv2: [5, 5, 8, 16],
  bias2: [16],
  dense: [4 * 4 * 16, 10],
  biasD: [10],
};

/** Glorot-uniform kernels and zero biases, from a seed (host arrays, so both backends start alike). */
function initialWeights(seed: number): Record<string, Float32Array> {
  const rng = new Rng(seed);
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(size);
    if (shape.length > 1) {
      const fanOut = shape[shape.length - 1] * (shape.length === 4 ? shape[0] * shape[1] : 1);
      const fanIn = size / shape[shape.length - 1];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) v[i] = (rng.nextFloat() * 2 - 1) * limit;
    }
    out[name] = v;
  }
  return out;
}

function batchData(seed: number): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(BATCH * 28 * 28);
  for (let i = 0; i < x.length; i++) x[i] = rng.nextFloat();
  const y = new Float32Array(BATCH * 10);
  for (let i = 0; i < BATCH; i++) y[i * 10 + rng.nextInt(10)] = 1;
  return { x, y };
}

function lenet(w: Record<string, Variable>, x: Tensor): Tensor {
  let h = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w.conv1 as tf.Tensor4D, 1, 'valid'), w.bias1));
  h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
  h = tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, w.conv2 as tf.Tensor4D, 1, 'valid'), w.bias2));
  h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
  return tf.add(tf.matMul(tf.reshape(h, [x.shape[0], -1]), w.dense as tf.Tensor2D), w.biasD);
}

async function measure(backend: string, steps: number, warmup: number) {
  await useBackend(backend);
  const init = initialWeights(1);
  const w: Record<string, Variable> = {};
  for (const [name, v] of Object.entries(init)) w[name] = tf.variable(tf.tensor(v, SHAPES[name]), true, `${backend}/${name}`);
  const data = batchData(2);
  const x = tf.tensor4d(data.x, [BATCH, 28, 28, 1]);
  const y = tf.tensor2d(data.y, [BATCH, 10]);
  const optimizer = args.optimizer === 'adam' ? tf.train.adam(0.001) : tf.train.sgd(0.05);
  const step = async (): Promise<number> => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, lenet(w, x)) as tf.Scalar, true)!;
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
  const firstLoss = await step();
  for (let i = 1; i < warmup; i++) await step();
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const seconds = (performance.now() - t0) / 1000;
  if (tf.memory().numTensors !== before) throw new Error(`${backend}: the training step leaks tensors`);
  optimizer.dispose();
  tf.dispose([x, y, ...Object.values(w)]);
  return { backend, steps, seconds, samplesPerSec: (steps * BATCH) / seconds, msPerStep: (seconds * 1000) / steps, firstLoss };
}

const load = loadavg().map((l) => l.toFixed(2)).join(' ');
const cpu = await measure('cpu', Number(args['cpu-steps']), 1);
const wasm = await measure('wasm', Number(args['wasm-steps']), 3);
const lossGap = Math.abs(cpu.firstLoss - wasm.firstLoss);
console.log(`LeNet training step, batch ${BATCH} (forward + backward + ${args.optimizer} update); load average before: ${load}`);
console.log(`wasm: ${wasmBackend.info().device}`);
console.table(
  [cpu, wasm].map((r) => ({
    backend: r.backend,
    steps: r.steps,
    'ms/step': r.msPerStep.toFixed(1),
    'samples/s': r.samplesPerSec.toFixed(1),
    'first loss': r.firstLoss.toFixed(6),
  })),
);
console.log(`wasm / cpu = ${(wasm.samplesPerSec / cpu.samplesPerSec).toFixed(1)}×   (first-step loss gap ${lossGap.toExponential(2)})`);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (lossGap > 1e-4) {
  console.error('The backends disagree on the first step loss.');
  process.exitCode = 1;
}
