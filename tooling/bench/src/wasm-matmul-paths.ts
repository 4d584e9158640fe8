// Matrix products on wasm: tfjs-backend-wasm 4.22's own kernel against Nutshell's, for every transpose and a batch,
// in one run (interleaved, median of rounds).
//
//   pnpm --filter @nutshell/bench exec tsx src/wasm-matmul-paths.ts [--m 64] [--k 784] [--n 128] [--rounds 5] [--reps 20]
//
// tfjs's kernel is taken from its registry before Nutshell's plugin replaces it, and called directly on the same
// heap tensors, so both sides see the same inputs; each result is checked against the other.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

const { values: args } = parseArgs({
  options: {
    m: { type: 'string', default: '64' },
    k: { type: 'string', default: '784' },
    n: { type: 'string', default: '128' },
    rounds: { type: 'string', default: '5' },
    reps: { type: 'string', default: '20' },
  },
});
const [M, K, N] = [Number(args.m), Number(args.k), Number(args.n)];
const tfjsKernel = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
const { useBackend } = await import('@nutshell/backend');
await import('@nutshell/backend-wasm');
await useBackend('wasm');
const nutshellKernel = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
if (nutshellKernel === tfjsKernel) throw new Error('Nutshell did not replace BatchMatMul on wasm');

const cases = [
  { name: 'a·b', a: [1, M, K], b: [1, K, N], tA: false, tB: false },
  { name: 'aᵀ·b (dW = xᵀ·dY)', a: [1, K, M], b: [1, K, N], tA: true, tB: false },
  { name: 'a·bᵀ (dX = dY·Wᵀ)', a: [1, M, N], b: [1, K, N], tA: false, tB: true },
  { name: 'batch 4 · one b', a: [4, M, K], b: [1, K, N], tA: false, tB: false },
  { name: 'batch 4 · batch 4', a: [4, M, K], b: [4, K, N], tA: false, tB: false },
];

function time(
  kernel: KernelFunc,
  a: tf.Tensor,
  b: tf.Tensor,
  tA: boolean,
  tB: boolean,
  reps: number,
): number {
  const backend = tf.backend();
  const run = () =>
    kernel({ inputs: { a, b }, attrs: { transposeA: tA, transposeB: tB }, backend }) as TensorInfo;
  backend.disposeData(run().dataId);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) backend.disposeData(run().dataId);
  return (performance.now() - t0) / reps;
}

console.log(
  `m ${M}, k ${K}, n ${N}; load average before ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const times = cases.map(() => ({ tfjs: [] as number[], nutshell: [] as number[] }));
const tensors = cases.map((c) => [tf.randomUniform(c.a, -1, 1), tf.randomUniform(c.b, -1, 1)]);
for (const [i, c] of cases.entries()) {
  const [a, b] = tensors[i];
  const backend = tf.backend();
  const one = (kernel: KernelFunc) => {
    const out = kernel({
      inputs: { a, b },
      attrs: { transposeA: c.tA, transposeB: c.tB },
      backend,
    }) as TensorInfo;
    const values = backend.readSync(out.dataId) as Float32Array;
    backend.disposeData(out.dataId);
    return values;
  };
  const x = one(tfjsKernel);
  const y = one(nutshellKernel);
  let worst = 0;
  x.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - y[j]))));
  if (worst > 1e-3) throw new Error(`${c.name}: results differ by ${worst}`);
}
for (let r = 0; r < Number(args.rounds); r++) {
  for (const [i, c] of cases.entries()) {
    const [a, b] = tensors[i];
    times[i].tfjs.push(time(tfjsKernel, a, b, c.tA, c.tB, Number(args.reps)));
    times[i].nutshell.push(time(nutshellKernel, a, b, c.tA, c.tB, Number(args.reps)));
  }
}
const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
console.log('| product | tfjs 4.22 ms | Nutshell ms | speed-up | Nutshell GFLOP/s |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [i, c] of cases.entries()) {
  const t = median(times[i].tfjs);
  const n = median(times[i].nutshell);
  const flops = 2 * Math.max(c.a[0], c.b[0]) * M * K * N;
  console.log(
    `| ${c.name} | ${t.toFixed(3)} | ${n.toFixed(3)} | ${(t / n).toFixed(1)}× | ${(flops / n / 1e6).toFixed(1)} |`,
  );
}
console.log(
  `load average after ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
