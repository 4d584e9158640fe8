// The fused relu backward pass (`NutshellReluBackprop`, see @nutshell/backend's reluBackprop.ts) in 128-bit wasm
// SIMD over the tfjs wasm heap, four channels at a time, for rows whose channel count is a multiple of 4: a small
// WebAssembly module written out byte by byte as maxPoolGradSimd.ts is (nothing compiled at install or run time).
//
// Per four lanes: dx = bitselect(dy, dy·0, y > 0) | (y ≠ y): dy where y is positive, dy·0 elsewhere (0, or NaN for a
// NaN or infinite dy, as the product with Step's 0 gives), and all bits set (a NaN) where y is NaN. The bias
// gradient db (one value per channel, zeroed by the caller) gets each row's dx added, so it sums in row order.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  add,
  compileSimd,
  countDown,
  f32x4,
  get,
  i32,
  load,
  loop,
  set,
  store,
  V128_ZERO as zero,
  v128,
  type Op,
} from './simdModule.js';

// (func (param $dy $y $dx $db $rows $c4 i32)), locals $b $c i32, $Y $V v128.
const [dy, y, dx, db, rows, c4] = [0, 1, 2, 3, 4, 5];
const [b, c] = [6, 7];
const [Y, V] = [8, 9];

const { ne, gt, add: fadd, mul: fmul } = f32x4;
const { or, bitselect } = v128;
const next = (p: number): Op => [...get(p), ...i32(16), ...add, ...set(p)];

// prettier-ignore
const body: Op = [
  0x02, 0x02, 0x7f, 0x02, 0x7b, // locals: 2 × i32, 2 × v128
  ...loop(
    get(db), set(b),
    get(c4), set(c),
    loop(
      get(y), load, set(Y),
      get(dy), load, get(dy), load, zero, fmul, get(Y), zero, gt, bitselect, // dy where y > 0, else dy·0
      get(Y), get(Y), ne, or, set(V), // NaN where y is NaN
      get(dx), get(V), store,
      get(b), get(b), load, get(V), fadd, store, // db += dx
      next(dy), next(y), next(dx), next(b),
      countDown(c),
    ),
    countDown(rows),
  ),
  0x0b,
];

/**
 * `rows` rows of `4·c4` channels: byte addresses of dy, y, dx and db (4·c4 values, zeroed), then the counts
 * (both ≥ 1).
 */
export type ReluBackpropRows = (
  dy: number,
  y: number,
  dx: number,
  db: number,
  rows: number,
  c4: number,
) => void;

/** The SIMD pass bound to this backend's heap, or undefined where it cannot run (no wasm SIMD). */
export function reluBackpropSimd(backend: BackendWasm): ReluBackpropRows | undefined {
  return compileSimd<ReluBackpropRows>(backend, 'reluBackpropRows', 6, body);
}
