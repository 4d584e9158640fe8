// W3's (LeNet 5×5×8 / 5×5×16, batch 64) kernels on wasm one by one, at the shapes a training step gives them, each
// called directly (no engine, no tf.profile read-backs) on the same heap tensors; interleaved over rounds. A kernel's
// figure is the minimum over its calls (the most load-robust figure on a shared machine) and the median. Each call
// gets fresh copies of its inputs, as in training (see \`fresh\`).
//
//   pnpm --filter @nutshell/bench exec tsx src/wasm-lenet-kernels.ts [--rounds 5] [--reps 20] [--only MaxPoolGrad,Sum]
//
// Where Nutshell replaces a tfjs-backend-wasm 4.22 kernel, tfjs's (taken from the registry before Nutshell's plugin
// replaces it) runs beside it as "tfjs", and each pair's results are compared.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    reps: { type: 'string', default: '20' },
    only: { type: 'string' },
  },
});
const ROUNDS = Number(args.rounds);
const REPS = Number(args.reps);
const only = args.only?.split(',');

const REPLACED = [tf.Sum, tf.Add, tf.Multiply, tf.Cast, tf.MaxPoolGrad, tf.Conv2DBackpropInput];
await tf.setBackend('wasm');
const tfjsKernels = new Map(REPLACED.map((k) => [k, tf.getKernel(k, 'wasm')?.kernelFunc]));
const { useBackend } = await import('@nutshell/backend');
await import('@nutshell/backend-wasm');
await useBackend('wasm');
tf.enableProdMode();
const backend = tf.backend();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

type Case = { name: string; kernel: string; inputs: Record<string, tf.Tensor>; attrs: NamedAttrMap };
const r = (shape: number[], lo = -1, hi = 1) => tf.randomUniform(shape, lo, hi);
// Pool inputs whose windows hold ties and non-positive maxima, as ReLU outputs do.
const relu = (shape: number[]) => tf.relu(tf.round(tf.mul(r(shape), 4)));
const x1 = r([64, 28, 28, 1]);
const a1 = relu([64, 24, 24, 8]);
const p1 = tf.maxPool(a1 as tf.Tensor4D, 2, 2, 'valid');
const x2 = r([64, 12, 12, 8]);
const a2 = relu([64, 8, 8, 16]);
const p2 = tf.maxPool(a2 as tf.Tensor4D, 2, 2, 'valid');
const w1 = r([5, 5, 1, 8]);
const w2 = r([5, 5, 8, 16]);
const dy1 = r([64, 24, 24, 8]);
const dy2 = r([64, 8, 8, 16]);
const conv = {
  strides: [1, 1],
  pad: 'valid',
  dataFormat: 'NHWC',
  dilations: [1, 1],
};
const pool = { filterSize: [2, 2], strides: [2, 2], pad: 'valid' };
const cases: Case[] = [
  { name: 'conv 1 forward', kernel: tf.Conv2D, inputs: { x: x1, filter: w1 }, attrs: conv },
  { name: 'conv 2 forward', kernel: tf.Conv2D, inputs: { x: x2, filter: w2 }, attrs: conv },
  {
    name: 'conv 1 filter gradient',
    kernel: tf.Conv2DBackpropFilter,
    inputs: { x: x1, dy: dy1 },
    attrs: { ...conv, filterShape: [5, 5, 1, 8] },
  },
  {
    name: 'conv 2 filter gradient',
    kernel: tf.Conv2DBackpropFilter,
    inputs: { x: x2, dy: dy2 },
    attrs: { ...conv, filterShape: [5, 5, 8, 16] },
  },
  {
    name: 'conv 2 input gradient',
    kernel: tf.Conv2DBackpropInput,
    inputs: { dy: dy2, filter: w2 },
    attrs: { ...conv, inputShape: [64, 12, 12, 8] },
  },
  { name: 'maxPool 1', kernel: tf.MaxPool, inputs: { x: a1 }, attrs: pool },
  {
    name: 'maxPoolGrad 1',
    kernel: tf.MaxPoolGrad,
    inputs: { dy: r([64, 12, 12, 8]), input: a1, output: p1 },
    attrs: pool,
  },
  {
    name: 'maxPoolGrad 2',
    kernel: tf.MaxPoolGrad,
    inputs: { dy: r([64, 4, 4, 16]), input: a2, output: p2 },
    attrs: pool,
  },
  { name: 'bias add 1', kernel: tf.Add, inputs: { a: dy1, b: r([8]) }, attrs: {} },
  { name: 'bias add 2', kernel: tf.Add, inputs: { a: dy2, b: r([16]) }, attrs: {} },
  { name: 'bias add dense', kernel: tf.Add, inputs: { a: r([64, 10]), b: r([10]) }, attrs: {} },
  {
    name: 'bias grad 1 (Sum)',
    kernel: tf.Sum,
    inputs: { x: dy1 },
    attrs: { axis: [0, 1, 2], keepDims: false },
  },
  {
    name: 'bias grad 2 (Sum)',
    kernel: tf.Sum,
    inputs: { x: dy2 },
    attrs: { axis: [0, 1, 2], keepDims: false },
  },
  {
    name: 'bias grad dense (Sum)',
    kernel: tf.Sum,
    inputs: { x: r([64, 10]) },
    attrs: { axis: [0], keepDims: false },
  },
  // W2's (MLP 784-128-10) bias add and bias gradient, which the same kernels take.
  {
    name: 'W2 bias add [64,128] + [128]',
    kernel: tf.Add,
    inputs: { a: r([64, 128]), b: r([128]) },
    attrs: {},
  },
  {
    name: 'W2 bias grad [64,128] (Sum)',
    kernel: tf.Sum,
    inputs: { x: r([64, 128]) },
    attrs: { axis: [0], keepDims: false },
  },
  {
    name: 'row sum [64,10]',
    kernel: tf.Sum,
    inputs: { x: r([64, 10]) },
    attrs: { axis: [1], keepDims: false },
  },
  { name: 'relu grad Step 1', kernel: tf.Step, inputs: { x: a1 }, attrs: { alpha: 0 } },
  { name: 'relu grad Cast 1', kernel: tf.Cast, inputs: { x: a1 }, attrs: { dtype: 'float32' } },
  { name: 'relu grad Multiply 1', kernel: tf.Multiply, inputs: { a: dy1, b: a1 }, attrs: {} },
  { name: 'Multiply [1]*[64]', kernel: tf.Multiply, inputs: { a: r([1]), b: r([64]) }, attrs: {} },
  {
    name: 'Multiply [64,1]*[64,10]',
    kernel: tf.Multiply,
    inputs: { a: r([64, 1]), b: r([64, 10]) },
    attrs: {},
  },
  {
    name: 'Multiply [64,10]*[64,10]',
    kernel: tf.Multiply,
    inputs: { a: r([64, 10]), b: r([64, 10]) },
    attrs: {},
  },
  { name: 'Sub [64,10]-[64,1]', kernel: tf.Sub, inputs: { a: r([64, 10]), b: r([64, 1]) }, attrs: {} },
];

const run = (kernel: KernelFunc, c: Case, inputs: Record<string, TensorInfo> = c.inputs): TensorInfo =>
  kernel({ inputs, attrs: c.attrs, backend }) as TensorInfo;
// In training every kernel input is a new tensor each step (activations, gradients, and weights after an update), so
// XNNPACK operators cached by an operand's id (a conv's filter, a matmul's right operand) are rebuilt and their
// weights re-packed every step: each timed call gets fresh copies of its inputs (the copying is not timed).
const fresh = (c: Case): Record<string, TensorInfo> =>
  Object.fromEntries(
    Object.entries(c.inputs).map(([name, t]) => {
      const out = (backend as unknown as { makeOutput(s: number[], d: string): TensorInfo }).makeOutput(
        t.shape,
        t.dtype,
      );
      const heap = backend as unknown as { typedArrayFromHeap(t: TensorInfo): Float32Array };
      heap.typedArrayFromHeap(out).set(heap.typedArrayFromHeap(t));
      return [name, out];
    }),
  );
// BEFORE=<folder>: earlier versions of Nutshell's kernels (copies of their sources with their heap.ts, e.g. from
// `git show c0371e1:packages/backend-wasm/src/kernels/<name>.ts`, in a folder under src/) run beside as "before".
const before = new Map<string, KernelFunc>();
const dir = process.env.BEFORE;
if (dir) {
  before.set(tf.MaxPoolGrad, (await import(`${dir}/maxPoolGrad.ts`)).maxPoolGradConfig.kernelFunc);
  before.set(
    tf.Conv2DBackpropFilter,
    (await import(`${dir}/conv2DBackpropFilter.ts`)).conv2DBackpropFilterConfig.kernelFunc,
  );
  before.set(
    tf.Conv2DBackpropInput,
    (await import(`${dir}/conv2DBackpropInput.ts`)).makeConv2DBackpropInput(undefined),
  );
}
const variants = (c: Case): [string, KernelFunc][] => {
  const mine = tf.getKernel(c.kernel, 'wasm')!.kernelFunc;
  const theirs = tfjsKernels.get(c.kernel);
  const out: [string, KernelFunc][] = [['nutshell', mine]];
  const earlier = before.get(c.kernel);
  if (earlier) out.push(['before', earlier]);
  if (theirs && theirs !== mine) out.push(['tfjs', theirs]);
  return out;
};
const selected = cases.filter((c) => !only || only.some((o) => c.name.includes(o) || c.kernel === o));

// Same answers: every variant against the first, before timing.
for (const c of selected) {
  const [first, ...rest] = variants(c);
  const ref = run(first[1], c);
  const refValues = backend.readSync(ref.dataId) as Float32Array;
  for (const [name, k] of rest) {
    // tfjs's MaxPoolGrad drops windows whose maximum is ≤ 0 (why Nutshell replaces it): nothing to compare.
    if (c.kernel === tf.MaxPoolGrad && name === 'tfjs') continue;
    const out = run(k, c);
    const values = backend.readSync(out.dataId) as Float32Array;
    let worst = 0;
    values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - refValues[i]))));
    const scale = refValues.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    if (worst > 1e-5 * scale) throw new Error(`${c.name}: ${name} differs from ${first[0]} by ${worst}`);
    backend.disposeData(out.dataId);
  }
  backend.disposeData(ref.dataId);
}

console.log(`wasm kernels at W3's shapes; ${new Date().toISOString()}; load average ${load()}`);
const times = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const c of selected) {
    for (const [name, k] of variants(c)) {
      const key = `${c.name}\t${name}`;
      const list = times.get(key) ?? [];
      for (let i = 0; i < REPS; i++) {
        const inputs = fresh(c);
        const t0 = performance.now();
        const out = run(k, c, inputs);
        list.push(performance.now() - t0);
        backend.disposeData(out.dataId);
        for (const t of Object.values(inputs)) backend.disposeData(t.dataId);
      }
      times.set(key, list);
    }
  }
}
const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
console.log('| kernel (shapes) | implementation | min ms | median ms |');
console.log('| --- | --- | ---: | ---: |');
for (const [key, list] of times) {
  const [name, impl] = key.split('\t');
  console.log(`| ${name} | ${impl} | ${Math.min(...list).toFixed(3)} | ${median(list).toFixed(3)} |`);
}
console.log(`load average after ${load()}`);
