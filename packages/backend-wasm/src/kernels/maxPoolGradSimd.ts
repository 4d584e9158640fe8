// MaxPoolGrad for non-overlapping windows (LeNet's 2×2, stride 2) in 128-bit wasm SIMD over the tfjs wasm heap: a
// ~150-byte WebAssembly module, written out below byte by byte as `adamSimd.ts` is (no compiler at install or run
// time), that imports tfjs-backend-wasm's own memory. The JavaScript loop it replaces took 1.2 ms on
// `[64,24,24,8]`; four channels at a time, without branches, this takes about a tenth of that.
//
// One call handles one row of windows. For each window and group of four channels it walks the window in row-major
// order and gives dy to the first position equal to the window's maximum (the forward output), exactly as the
// JavaScript loop and tfjs-backend-cpu do: a lane mask `taken` remembers which lanes found their maximum, so later
// equal values get 0. `f32x4.eq` compares as `===` does (NaN never equal, −0 equal to +0). Every input position
// of the row of windows is written, so the caller zeroes only rows or columns no window covers.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  add,
  compileSimd,
  countDown,
  get,
  i32,
  load,
  loop,
  mul,
  set,
  shl,
  f32x4,
  V128_ZERO as zero,
  v128,
  store,
  sub,
  type Op,
} from './simdModule.js';

// (func (param $x $y $g $o $ow $c4 $kh $kw $rowBytes i32)), locals $d $p $ox $c $r $i $q $j $col i32, $T $G $TK $E v128.
const [x, y, g, o, ow, c4, kh, kw, rowBytes] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [d, p, ox, c, r, i, q, j, col] = [9, 10, 11, 12, 13, 14, 15, 16, 17];
const [T, G, TK, E] = [18, 19, 20, 21];

const { eq } = f32x4;
const { and, andnot, or } = v128;

// prettier-ignore
const body: Op = [
  0x02, 0x09, 0x7f, 0x04, 0x7b, // locals: 9 × i32, 4 × v128
  ...get(o), ...get(x), ...sub, ...set(d), // $d = o − x: where dx is, from where x is
  ...get(x), ...set(p),
  ...get(c4), ...i32(4), ...shl, ...set(col), // bytes from one input column to the next
  ...get(ow), ...set(ox),
  ...loop(
    get(c4), set(c),
    loop(
      get(y), load, set(T), // the window's maximum, four channels
      get(g), load, set(G), // its gradient
      zero, set(TK),
      get(p), set(r),
      get(kh), set(i),
      loop(
        get(r), set(q),
        get(kw), set(j),
        loop(
          get(q), load, get(T), eq, set(E),
          get(q), get(d), add, get(G), get(E), and, get(TK), andnot, store, // dx = g where first equal, else 0
          get(TK), get(E), or, set(TK),
          get(q), get(col), add, set(q),
          countDown(j),
        ),
        get(r), get(rowBytes), add, set(r),
        countDown(i),
      ),
      get(y), i32(16), add, set(y),
      get(g), i32(16), add, set(g),
      get(p), i32(16), add, set(p),
      countDown(c),
    ),
    get(p), get(col), get(kw), i32(1), sub, mul, add, set(p), // on to the next window's corner
    countDown(ox),
  ),
  0x0b,
];

/** One row of windows: byte addresses of x's, y's, dy's and dx's first value, then the row's geometry. */
export type MaxPoolGradRow = (
  x: number,
  y: number,
  g: number,
  o: number,
  ow: number,
  c4: number,
  kh: number,
  kw: number,
  rowBytes: number,
) => void;

/** The SIMD row pass bound to this backend's heap, or undefined where it cannot run (no wasm SIMD). */
export function maxPoolGradSimd(backend: BackendWasm): MaxPoolGradRow | undefined {
  return compileSimd<MaxPoolGradRow>(backend, 'maxPoolGradRow', 9, body);
}
