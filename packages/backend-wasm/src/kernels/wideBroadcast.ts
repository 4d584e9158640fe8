// A bias-style broadcast (`[64, 24, 24, 8] + [8]`) made wide before tfjs-backend-wasm 4.22's XNNPACK binary kernel
// runs it. XNNPACK walks the broadcast row by row, so a short row costs a loop trip per 8 values: `[64,24,24,8] +
// [8]` took 0.44 ms, the same Add between two full tensors 0.045 ms (inner length 64: 0.095 ms, 512: 0.041 ms).
// Viewing the big operand as rows k times longer and tiling the small one k times gives the same element-wise
// sums (the same float32 operations on the same pairs), with a loop trip per ≥ 512 values.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, heapF32, release } from './heap.js';

/** A row at least this long runs at the speed of a same-shape operation (measured: 512 ≈ no broadcast at all). */
const WIDE = 512;
/**
 * Below this many values the tiling costs about what it saves (measured, min of 200 calls: `[64,128] + [128]` 5 µs
 * widened against 4 µs as is; `[64,8,8,16] + [16]` 12 against 49 µs).
 */
const MIN_SIZE = 65536;

/**
 * How many of `row`-long rows to join into one, or 0 when the broadcast is not worth widening: the shortest join
 * of at least `WIDE` values that divides the number of rows, or all rows when there are fewer.
 */
export function joinedRows(rows: number, row: number): number {
  if (row >= WIDE / 2 || rows < 2) return 0;
  const want = Math.ceil(WIDE / row);
  if (rows <= want) return rows;
  for (let k = want; k <= 4 * want && k <= rows; k++) if (rows % k === 0) return k;
  return 0;
}

/** The length of `small` when it broadcasts only along leading axes of `big` (a bias), else 0. */
export function trailingBroadcast(big: readonly number[], small: readonly number[]): number {
  if (small.length > big.length) return 0; // the result would gain axes: not big's shape
  let start = 0;
  while (start < small.length && small[start] === 1) start++; // leading ones broadcast like missing axes
  const kept = small.slice(start);
  if (kept.length === 0 || kept.length >= big.length) return 0;
  for (let i = 1; i <= kept.length; i++) if (kept[kept.length - i] !== big[big.length - i]) return 0;
  return kept.reduce((p, d) => p * d, 1);
}

/**
 * Wraps tfjs's binary kernel: a float32 `big ∘ small` whose small operand is a short trailing block (a bias) runs as
 * `big` seen as wide rows against `small` tiled to their length; everything else goes to tfjs's kernel unchanged.
 * `commutative` lets `small ∘ big` swap its operands (Add, Multiply: the same float32 result either way).
 */
export function makeWideBroadcast(
  kernelName: string,
  previous: KernelFunc | undefined,
  commutative: boolean,
): KernelConfig {
  if (!previous)
    throw new Error(`@nutshell/backend-wasm: tfjs-backend-wasm has no ${kernelName} kernel to wrap.`);
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return previous(args);
    let big = a;
    let small = b;
    let row = trailingBroadcast(a.shape, b.shape);
    if (row === 0 && commutative) {
      row = trailingBroadcast(b.shape, a.shape);
      [big, small] = [b, a];
    }
    const size = tf.util.sizeFromShape(big.shape);
    const k = row > 0 && size >= MIN_SIZE ? joinedRows(size / row, row) : 0;
    if (k === 0) return previous(args);
    const backend = asWasm(args.backend);
    const tiled = backend.makeOutput([k * row], 'float32');
    {
      const src = heapF32(backend, small);
      const dst = heapF32(backend, tiled);
      for (let i = 0; i < k; i++) dst.set(src, i * row);
    }
    // A view of big's buffer in the wide shape (tfjs's kernel reads shapes from the TensorInfo it is given).
    const wide: TensorInfo = { dataId: big.dataId, shape: [size / (k * row), k * row], dtype: 'float32' };
    const inputs = big === a ? { a: wide, b: tiled } : { a: tiled, b: wide };
    const out = previous({ ...args, inputs }) as TensorInfo;
    release(backend, tiled);
    return { dataId: out.dataId, shape: big.shape.slice(), dtype: out.dtype };
  };
  return { kernelName, backendName: 'wasm', kernelFunc };
}
