// Sum over leading axes (a bias gradient: `[64, 24, 24, 8]` summed to `[8]`) on XNNPACK's average pooling.
//
// tfjs-backend-wasm 4.22's Sum reduces only innermost axes, so it first transposes x to put the summed axes last:
// 0.39 ms for `[64,24,24,8]` → `[8]`, most of it the transpose. The same column sums are one average pool over
// x seen as `[1, B, L, C]` (R = B·L rows) with 1×L windows (0.04 ms): B block means, each times L, added in
// float64. Each block's float32 sum runs over L ≈ √R values instead of all R, so the result is at least as close to
// the exact sum as tfjs's (tests bound the error against float64 sums); every other Sum is tfjs's.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, heapF32, release, runWasmKernel } from './heap.js';

/** Below this many values the transpose costs less than the pooling operator's set-up (measured: `[64,10]` ties). */
const MIN_SIZE = 4096;

/**
 * `[R, C]` when `axes` are exactly x's leading axes and the sum is worth the pooling path (float32, some axis
 * kept, at least 2 rows and `MIN_SIZE` values), else undefined.
 */
export function leadingSum(shape: readonly number[], axes: readonly number[]): [number, number] | undefined {
  const sorted = [...axes].sort((p, q) => p - q);
  if (sorted.length === 0 || sorted.length >= shape.length) return undefined;
  if (sorted.some((a, i) => a !== i)) return undefined;
  const R = shape.slice(0, sorted.length).reduce((p, d) => p * d, 1);
  const C = shape.slice(sorted.length).reduce((p, d) => p * d, 1);
  return R >= 2 && C >= 2 && R * C >= MIN_SIZE ? [R, C] : undefined;
}

/**
 * The rows summed by one pooling window: the smallest divisor of `R` not below √R, so that each block's float32
 * sum runs over about √R values (the blocks' sums are then added in float64), where tfjs's sums all R in order.
 */
export function blockLength(R: number): number {
  for (let L = Math.ceil(Math.sqrt(R)); L < R; L++) if (R % L === 0) return L;
  return R;
}

/** Nutshell's Sum for 'wasm': leading-axes sums on XNNPACK average pooling, every other case tfjs's kernel. */
export function sumConfig(previous: KernelFunc | undefined): KernelConfig {
  if (!previous) throw new Error('@nutshell/backend-wasm: tfjs-backend-wasm has no Sum kernel to wrap.');
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== 'float32') return previous(args);
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const rc = leadingSum(x.shape, axes);
    if (!rc) return previous(args);
    const [R, C] = rc;
    const backend = asWasm(args.backend);
    const L = blockLength(R);
    const B = R / L;
    const view: TensorInfo = { dataId: x.dataId, shape: [1, B, L, C], dtype: 'float32' };
    const means = runWasmKernel(
      backend,
      tf.AvgPool,
      { x: view },
      { filterSize: [1, L], strides: [1, L], pad: 'valid' },
    ); // [1, B, 1, C]: the mean of each block of L rows
    const out = backend.makeOutput([C], 'float32');
    const m = heapF32(backend, means);
    const o = heapF32(backend, out);
    let finite = true;
    for (let c = 0; c < C; c++) {
      let total = 0; // the blocks' sums added in float64, rounded to float32 once
      for (let b = 0; b < B; b++) total += m[b * C + c] * L;
      o[c] = total;
      finite &&= Number.isFinite(o[c]);
    }
    release(backend, means);
    // XNNPACK clamps its output, which turns NaN into -Infinity: any non-finite sum is recomputed by tfjs's kernel
    // (a NaN or an infinity in x, or an overflow), so those come out exactly as a float32 sum gives them.
    if (!finite) {
      release(backend, out);
      return previous(args);
    }
    const kept = x.shape.slice(axes.length);
    const shape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
    return { dataId: out.dataId, shape, dtype: 'float32' };
  };
  return { kernelName: tf.Sum, backendName: 'wasm', kernelFunc };
}
