// col2im in 128-bit wasm SIMD over the tfjs wasm heap (a hand-written module, as in maxPoolGradSimd.ts): adds each
// output position's column of per-tap input gradients into the input gradient, for a stride-1, unpadded convolution.
//
// `cols` holds, for every output position (oh, ow) of one image, KH·KW·CI values: tap (kh, kw)'s contribution to
// dx[oh + kh, ow + kw, 0…CI−1]. One call handles one image: dx[r, c, :] += cols[oh, ow, kh, kw, :] over every
// output position and tap, in that order, four channels at a time. The caller zeroes dx first.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  add,
  compileSimd,
  countDown,
  get,
  i32,
  load,
  loop,
  set,
  shl,
  f32x4,
  store,
  type Op,
} from './simdModule.js';

// (func (param $src $dst $oh $ow $kh $kw $c4 $rowBytes i32)), locals $y $x $i $j $c $d0 $dk $d $col $row i32.
const [src, dst, oh, ow, kh, kw, c4, rowBytes] = [0, 1, 2, 3, 4, 5, 6, 7];
const [y, x, i, j, c, d0, dk, d, col, row] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
const f32x4Add = f32x4.add;

// prettier-ignore
const body: Op = [
  0x01, 0x0a, 0x7f, // locals: 10 × i32
  ...get(c4), ...i32(4), ...shl, ...set(col), // bytes from one dx column to the next
  ...get(dst), ...set(row),
  ...get(oh), ...set(y),
  ...loop(
    get(row), set(d0),
    get(ow), set(x),
    loop(
      get(d0), set(dk),
      get(kh), set(i),
      loop(
        get(dk), set(d),
        get(kw), set(j),
        loop(
          get(c4), set(c),
          loop(
            get(d), get(d), load, get(src), load, f32x4Add, store, // dx[…] += cols[…], four channels
            get(d), i32(16), add, set(d),
            get(src), i32(16), add, set(src),
            countDown(c),
          ),
          countDown(j), // d has moved on by one column: the next tap (kw + 1)
        ),
        get(dk), get(rowBytes), add, set(dk), // the next tap row (kh + 1)
        countDown(i),
      ),
      get(d0), get(col), add, set(d0), // the next output column
      countDown(x),
    ),
    get(row), get(rowBytes), add, set(row), // the next output row
    countDown(y),
  ),
  0x0b,
];

/** One image: byte addresses of its cols and its dx, then the output size, filter size, CI / 4 and dx's row bytes. */
export type Col2Im = (
  src: number,
  dst: number,
  oh: number,
  ow: number,
  kh: number,
  kw: number,
  c4: number,
  rowBytes: number,
) => void;

/** The SIMD col2im bound to this backend's heap, or undefined where it cannot run (no wasm SIMD). */
export function col2imSimd(backend: BackendWasm): Col2Im | undefined {
  return compileSimd<Col2Im>(backend, 'col2im', 8, body);
}
