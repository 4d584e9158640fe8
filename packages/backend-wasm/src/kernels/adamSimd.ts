// Adam's update in one pass of 128-bit wasm SIMD over the tfjs wasm heap: a 200-byte WebAssembly module, written
// out below byte by byte (no compiler at install or run time), that imports tfjs-backend-wasm's own memory and
// reads w, g, m, v and writes w′, m′, v′ where tfjs allocated them. The 13 element-wise kernels it replaces each
// built an XNNPACK operator per call (~50 µs apiece on a 100,000-weight layer); this pass costs a few µs more
// than reading the data. f32x4 arithmetic is IEEE binary32 lane by lane, so the result is the op-by-op rule's,
// bit for bit. Where the module does not compile (no wasm SIMD), `adamSimd` returns undefined and the caller takes
// another path; a shared heap (the multi-threaded build) is imported as shared (simdModule.ts).
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  addressAt,
  compileSimd,
  F32,
  f32x4,
  get,
  I32,
  loadAt,
  set,
  simd,
  store,
  v128,
} from './simdModule.js';

// (func (param $w $g $m $v $ow $om $ov $n4 $hasDecay i32) (param $b1 $c1 $b2 $c2 $eps $step $irc $decay f32)),
// locals: $off $end i32; splats $B1 $C1 $B2 $C2 $EPS $STEP $IRC $DECAY $MASK, temporaries $G $M1 $V1 $W $UPD v128.
const P = { w: 0, g: 1, m: 2, v: 3, ow: 4, om: 5, ov: 6, n4: 7, hasDecay: 8, b1: 9 } as const;
const L = {
  off: 17,
  end: 18,
  B1: 19,
  C1: 20,
  B2: 21,
  C2: 22,
  EPS: 23,
  STEP: 24,
  IRC: 25,
  DECAY: 26,
  MASK: 27,
  G: 28,
  M1: 29,
  V1: 30,
  W: 31,
  UPD: 32,
} as const;

const load = (ptr: number) => loadAt(ptr, L.off); // v128.load (ptr + off)
const addr = (ptr: number) => addressAt(ptr, L.off); // the address of a store
const { splat, sqrt, add, sub, mul, div } = f32x4;
const { bitselect } = v128;

const body = [
  0x02,
  0x02,
  0x7f,
  0x0e,
  0x7b, // locals: 2 × i32, 14 × v128
  // The eight scalars splatted into lanes ($b1 … $decay → $B1 … $DECAY).
  ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [...get(P.b1 + k), ...splat, ...set(L.B1 + k)]),
  0x41,
  0x00,
  ...get(P.hasDecay),
  0x6b,
  ...simd(0x11),
  ...set(L.MASK), // $MASK = i32x4.splat(0 − hasDecay)
  ...get(P.n4),
  0x41,
  0x04,
  0x74,
  ...set(L.end), // $end = n4 << 4
  0x02,
  0x40,
  0x03,
  0x40, // block, loop
  ...get(L.off),
  ...get(L.end),
  0x4f,
  0x0d,
  0x01, // br_if out when $off >= $end
  ...load(P.g),
  ...set(L.G),
  // m′ = m·β₁ + g·(1 − β₁)
  ...load(P.m),
  ...get(L.B1),
  ...mul,
  ...get(L.G),
  ...get(L.C1),
  ...mul,
  ...add,
  ...set(L.M1),
  ...addr(P.om),
  ...get(L.M1),
  ...store,
  // v′ = v·β₂ + (g·g)·(1 − β₂)
  ...load(P.v),
  ...get(L.B2),
  ...mul,
  ...get(L.G),
  ...get(L.G),
  ...mul,
  ...get(L.C2),
  ...mul,
  ...add,
  ...set(L.V1),
  ...addr(P.ov),
  ...get(L.V1),
  ...store,
  // upd = w − (m′ / (√v′·irc + ε))·step
  ...load(P.w),
  ...set(L.W),
  ...get(L.W),
  ...get(L.M1),
  ...get(L.V1),
  ...sqrt,
  ...get(L.IRC),
  ...mul,
  ...get(L.EPS),
  ...add,
  ...div,
  ...get(L.STEP),
  ...mul,
  ...sub,
  ...set(L.UPD),
  // w′ = hasDecay ? upd − w·decay : upd
  ...addr(P.ow),
  ...get(L.UPD),
  ...get(L.W),
  ...get(L.DECAY),
  ...mul,
  ...sub,
  ...get(L.UPD),
  ...get(L.MASK),
  ...bitselect,
  ...store,
  ...get(L.off),
  0x41,
  0x10,
  0x6a,
  ...set(L.off), // $off += 16
  0x0c,
  0x00,
  0x0b,
  0x0b, // br loop, end loop, end block
  0x0b, // end func
];

type AdamPass = (
  w: number,
  g: number,
  m: number,
  v: number,
  ow: number,
  om: number,
  ov: number,
  n4: number,
  hasDecay: number,
  b1: number,
  c1: number,
  b2: number,
  c2: number,
  eps: number,
  step: number,
  irc: number,
  decay: number,
) => void;

/** The SIMD pass bound to this backend's heap, or undefined where it cannot run (see the file comment). */
export function adamSimd(backend: BackendWasm): AdamPass | undefined {
  // (w g m v ow om ov n4 hasDecay: i32) (b1 c1 b2 c2 eps step irc decay: f32)
  const params = [...Array<number>(9).fill(I32), ...Array<number>(8).fill(F32)];
  return compileSimd<AdamPass>(backend, 'adam', params, body);
}
