// W1's (softmax regression 784→10, batch 64) costliest parts, each against what ran before, interleaved in one
// process: the forward product x·W and the weight gradient xᵀ·dY on wasm (XNNPACK, with x transposed first for the
// gradient, against the SIMD pass for products of ≤ 16 columns), and the Trainer's data check over MNIST's 47 M
// features (`x − x !== 0` value by value against `firstNonFinite`'s exponent-bit scan).
//
//   pnpm --filter @nutshell/bench exec tsx src/w1-parts.ts [--rounds 7] [--reps 300]
//
// Each product call gets a fresh copy of the operand a training step changes (W, or dY), as in training, where
// XNNPACK re-packs its weights every step. Figures: per-call minimum and median over all rounds.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { readMnist } from './mnistIdx.js';
import { mnistDir } from './tree.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, reps: { type: 'string', default: '300' } },
});
const ROUNDS = Number(args.rounds);
const REPS = Number(args.reps);

// Not exported by @nutshell/train (an internal of its data check): loaded from its source (tsx runs TypeScript).
const source = new URL('../../../packages/train/src/trainer/firstNonFinite.ts', import.meta.url).href;
const { firstNonFinite } = (await import(source)) as { firstNonFinite: (v: ArrayLike<number>) => number };

const tfjsKernel = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
const { useBackend } = await import('@nutshell/backend');
await import('@nutshell/backend-wasm');
await useBackend('wasm');
const backend = tf.backend();
const x = tf.randomUniform([64, 784], 0, 1);
const w = tf.randomUniform([784, 10], -0.1, 0.1);
const dy = tf.randomUniform([64, 10], -0.1, 0.1);

/** The product the way it ran before: tfjs's XNNPACK kernel, on a transposed copy of `a` where transposed. */
function before(a: tf.Tensor, b: tf.Tensor, transposeA: boolean): tf.Tensor {
  const lhs = transposeA ? tf.transpose(a) : a;
  const out = (tfjsKernel as KernelFunc)({
    inputs: { a: lhs, b },
    attrs: { transposeA: false, transposeB: false },
    backend,
  }) as TensorInfo;
  if (lhs !== a) lhs.dispose();
  return tf.engine().makeTensorFromTensorInfo(out);
}

const products = [
  { name: 'x·W [64,784]·[784,10]', a: x, b: w, transposeA: false },
  { name: 'xᵀ·dY [64,784]ᵀ·[64,10]', a: x, b: dy, transposeA: true },
];
// Same values both ways (a check, not a timing).
for (const p of products) {
  const [u, v] = [before(p.a, p.b, p.transposeA), tf.matMul(p.a, p.b, p.transposeA, false)];
  const diff = tf.max(tf.abs(tf.sub(u, v))).dataSync()[0];
  if (!(diff < 1e-4)) throw new Error(`${p.name}: the two ways differ by ${diff}`);
  tf.dispose([u, v]);
}

const times = products.map(() => ({ before: [] as number[], now: [] as number[] }));
function timeOne(run: (b: tf.Tensor) => tf.Tensor, operand: tf.Tensor, into: number[]) {
  for (let i = 0; i < REPS; i++) {
    const fresh = tf.add(operand, 0); // a new tensor id, as each training step's W or dY
    const t0 = performance.now();
    const out = run(fresh);
    into.push(performance.now() - t0);
    tf.dispose([out, fresh]);
  }
}

const values = readMnist(mnistDir(), 'train').x;
/** The data check's scan before: one subtraction per value. */
function oldScan(v: ArrayLike<number>): number {
  for (let i = 0; i < v.length; i++) if (v[i] - v[i] !== 0) return i;
  return -1;
}
const scans = { before: [] as number[], now: [] as number[] };

const load0 = loadavg();
const start = new Date().toISOString();
for (let r = 0; r < ROUNDS; r++) {
  products.forEach((p, i) => {
    timeOne((b) => before(p.a, b, p.transposeA), p.b, times[i].before);
    timeOne((b) => tf.matMul(p.a, b, p.transposeA, false), p.b, times[i].now);
  });
  let t0 = performance.now();
  if (oldScan(values) !== -1) throw new Error('MNIST has a non-finite value?');
  scans.before.push(performance.now() - t0);
  t0 = performance.now();
  if (firstNonFinite(values) !== -1) throw new Error('MNIST has a non-finite value?');
  scans.now.push(performance.now() - t0);
}

const fmt = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
const stat = (v: number[]) => {
  const s = [...v].sort((p, q) => p - q);
  return { min: s[0], median: s[Math.floor(s.length / 2)] };
};
console.log(`${start}, ${ROUNDS} rounds; load average ${fmt(load0)} → ${fmt(loadavg())}\n`);
console.log('| part | before: min / median ms | now: min / median ms | speed-up (min, median) |');
console.log('| --- | ---: | ---: | ---: |');
const row = (name: string, b: number[], n: number[]) => {
  const [sb, sn] = [stat(b), stat(n)];
  console.log(
    `| ${name} | ${sb.min.toFixed(3)} / ${sb.median.toFixed(3)} | ${sn.min.toFixed(3)} / ${sn.median.toFixed(3)} | ${(sb.min / sn.min).toFixed(2)}×, ${(sb.median / sn.median).toFixed(2)}× |`,
  );
};
products.forEach((p, i) => row(p.name, times[i].before, times[i].now));
row(`data check scan, ${values.length.toLocaleString('en')} float32`, scans.before, scans.now);
