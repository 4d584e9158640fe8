// Sum over leading axes (a bias gradient: `[64, 24, 24, 8]` summed to `[8]`) on XNNPACK's average pooling.
//
// tfjs-backend-wasm 4.22's Sum reduces only innermost axes, so it first transposes x to put the summed axes last:
// 0.39 ms for `[64,24,24,8]` → `[8]`, most of it the transpose. The same column sums are one average pool over
// x seen as `[1, B, L, C]` (R = B·L rows) with 1×L windows (0.04 ms): B block means, each times L, added in
// float64. Each block's float32 sum runs over L ≈ √R values instead of all R, so the result is at least as close to
// the exact sum as tfjs's (tests bound the error against float64 sums). Below that size (a dense layer's bias
// gradient, `[64, 10]` → `[10]`: 6–9 µs a step in W1, most of it tfjs's transpose and its second kernel call), one
// loop over the heap sums the rows in order into the output, in float32 as tfjs's kernel does (the same bits);
// every other Sum is tfjs's.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, heapF32, release, runWasmKernel } from './heap.js';

/** From this many values the pooling path; below it, the direct loop (`[64,10]`: pooling and transpose tie). */
const MIN_SIZE = 4096;

/**
 * `[R, C]` when `axes` (sorted) are exactly x's leading axes, some axis is kept and x is not empty, else
 * undefined.
 */
export function leadingAxes(shape: readonly number[], axes: readonly number[]): [number, number] | undefined {
  if (axes.length === 0 || axes.length >= shape.length) return undefined;
  for (let i = 0; i < axes.length; i++) if (axes[i] !== i) return undefined;
  let R = 1;
  let C = 1;
  for (let i = 0; i < shape.length; i++)
    if (i < axes.length) R *= shape[i];
    else C *= shape[i];
  return R * C > 0 ? [R, C] : undefined;
}

/**
 * How Nutshell's Sum runs a float32 sum over `axes`, with x seen as `[R, C]`: `'direct'` (leading axes, fewer
 * than `MIN_SIZE` values: `columnSums`), `'pooled'` (leading axes, at least 2 rows and columns and `MIN_SIZE`
 * values: average pooling), or undefined (tfjs's kernel; for a large one-row or one-column sum its transpose is a
 * copy at most).
 */
export function sumRoute(
  shape: readonly number[],
  axes: readonly number[],
): { route: 'direct' | 'pooled'; R: number; C: number } | undefined {
  const rc = leadingAxes(shape, axes.length > 1 ? [...axes].sort((p, q) => p - q) : axes);
  if (!rc) return undefined;
  const [R, C] = rc;
  if (R * C < MIN_SIZE) return { route: 'direct', R, C };
  return R >= 2 && C >= 2 ? { route: 'pooled', R, C } : undefined;
}

/** `[R, C]` when `sumRoute` takes the pooling path, else undefined. */
export function leadingSum(shape: readonly number[], axes: readonly number[]): [number, number] | undefined {
  const r = sumRoute(shape, axes);
  return r?.route === 'pooled' ? [r.R, r.C] : undefined;
}

/**
 * Column sums of `x` (`R` rows of `C`) into `out`, each a float32 sum of its column from row 0 down: tfjs's Sum
 * kernel's order and rounding, so the same bits. The sum of two float32 values rounded to float64 and then to
 * float32 is the float32 sum (float64 holds it exactly enough), so each step is one add and one store.
 */
export function columnSums(x: Float32Array, R: number, C: number, out: Float32Array): void {
  for (let c = 0; c < C; c++) out[c] = 0 + x[c]; // from 0, as tfjs's: 0 + (−0) is +0
  for (let r = 1; r < R; r++) {
    const row = r * C;
    for (let c = 0; c < C; c++) out[c] += x[row + c];
  }
}

/**
 * The rows summed by one pooling window: the smallest divisor of `R` not below √R, so that each block's float32
 * sum runs over about √R values (the blocks' sums are then added in float64), where tfjs's sums all R in order.
 */
export function blockLength(R: number): number {
  for (let L = Math.ceil(Math.sqrt(R)); L < R; L++) if (R % L === 0) return L;
  return R;
}

/**
 * Nutshell's Sum for 'wasm': leading-axes sums on XNNPACK average pooling, or one loop when small; every other
 * case tfjs's kernel.
 */
export function sumConfig(previous: KernelFunc | undefined): KernelConfig {
  if (!previous) throw new Error('@nutshell/backend-wasm: tfjs-backend-wasm has no Sum kernel to wrap.');
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== 'float32') return previous(args);
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const r = sumRoute(x.shape, axes);
    if (!r) return previous(args);
    const { R, C } = r;
    const kept = x.shape.slice(axes.length);
    const shape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
    const backend = asWasm(args.backend);
    if (r.route === 'direct') {
      const direct = backend.makeOutput(shape, 'float32');
      columnSums(heapF32(backend, x), R, C, heapF32(backend, direct));
      return direct;
    }
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
    return { dataId: out.dataId, shape, dtype: 'float32' };
  };
  return { kernelName: tf.Sum, backendName: 'wasm', kernelFunc };
}
