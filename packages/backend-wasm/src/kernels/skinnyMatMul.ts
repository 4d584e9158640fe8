// Products with few output columns (n ≤ 16) in one hand-written wasm SIMD pass over the heap: softmax regression's
// forward x·W ([64, 784]·[784, 10]) and its weight gradient xᵀ·dY ([64, 784]ᵀ·[64, 10]).
//
// Why. XNNPACK's fully-connected operator packs `b` for every new tensor id (a training step's weights and gradients
// are new every step), and xᵀ·dY needed x transposed first: 2.2–2.7× slower at W1's shapes (README). This pass reads
// the operands where they lie, in either layout of `a`, with no set-up.
//
// How. c[p, 0..n) = bias + Σ_t a(p, t) · b[t, 0..n), t ascending, every product and sum rounded to float32: bit for
// bit a plain float32 loop. Two rows of c at a time: for each t, the two a values are splatted and each 4-column
// vector of b's row t is loaded once and multiplied into both rows' accumulators, kept in locals. n is compiled into
// the module (one per n, built on first use); a last vector of 1–3 columns is loaded and stored with the lane
// instructions, so nothing outside the operands is read or written.
//
// Speed. Exact float32 answers need a multiply, then an add (no fused multiply-add), so the loop is bound by them:
// a last vector of 1 or 2 columns is shared by the two rows ([r₀c, r₀c+1, r₁c, r₁c+1]: b's columns loaded twice by
// load64_splat, a's two values interleaved by one shuffle), 6 → 5 multiplies and adds per t at n = 10. Few integers
// stay live in the loop (V8 had spilled its counter): b's row step is a constant, the loop ends on b's end address,
// and a's step ('steps', x·W) or second-row offset ('rows', xᵀ·dY) is compiled in. Unrolling t by hand, or 3–4
// rows at a time, measured 1.3–2× slower. README: W1's figures.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  add,
  compileSimd,
  countDown,
  f32x4,
  get,
  i32,
  leb,
  loop,
  set,
  simd,
  tee,
  V128_ZERO as zero,
  type Op,
} from './simdModule.js';

/** The most output columns this pass takes: 4 vectors of accumulators for each of its two rows. */
export const SKINNY_MAX_COLUMNS = 16;

/**
 * How a(p, t) is laid out, compiled into the module: 'steps' when a's steps of t are adjacent (aStepBytes = 4:
 * x·W), 'rows' when its rows are (aRowBytes = 4: xᵀ·dY), 'any' otherwise (both strides are parameters).
 */
export type SkinnyLayout = 'steps' | 'rows' | 'any';

// (func (param $a $b $c $bias $groups $bEnd $at $a1 $c1 $aGroup $cGroup i32)): byte addresses and strides. $bEnd:
// the end of b (b + k·4n); $at: a's step from t to t + 1 (read in layouts 'any' and 'rows'); $a1, $c1: the offset
// of the group's second row (a's read in 'any' and 'steps'); $aGroup, $cGroup: from one group to the next.
const [A, B, C, BIAS, GROUPS, BEND, AT, A1, C1, AGROUP, CGROUP] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const PARAMS = 11;
// Locals: $ta $tb i32, then the splats, $bv and the accumulators, v128.
const [TA, TB] = [PARAMS, PARAMS + 1];
const SPLAT = PARAMS + 2;
const BV = SPLAT + 2;
const ACC = BV + 1;

const memarg = (offset: number): Op => [0x00, ...leb(offset)]; // alignment hint 1 byte, then the offset
const { mul: f32x4Mul, add: f32x4Add } = f32x4;
const splat32 = (offset: number): Op => [...simd(0x09), ...memarg(offset)]; // v128.load32_splat
const splat64 = (offset: number): Op => [...simd(0x0a), ...memarg(offset)]; // v128.load64_splat
/** i8x16.shuffle of the two vectors on the stack, given as 32-bit lanes (0–3 the first's, 4–7 the second's). */
const shuffle32 = (lanes: number[]): Op => [
  ...simd(0x0d),
  ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]),
];

/** Loads `lanes` (1–4) floats at address-on-stack + offset into a vector (the other lanes 0). */
function loadLanes(address: Op, offset: number, lanes: number): Op {
  if (lanes === 4) return [...address, ...simd(0x00), ...memarg(offset)];
  if (lanes === 1) return [...address, ...simd(0x5c), ...memarg(offset)]; // v128.load32_zero
  if (lanes === 2) return [...address, ...simd(0x5d), ...memarg(offset)]; // v128.load64_zero
  // 3: two lanes, then lane 2 (v128.load32_lane)
  return [...address, ...address, ...simd(0x5d), ...memarg(offset), ...simd(0x56), ...memarg(offset + 8), 2];
}

/** Stores the first `lanes` (1–4) lanes of local `vector` at address + offset. */
function storeLanes(address: Op, offset: number, lanes: number, vector: number): Op {
  const v = get(vector);
  if (lanes === 4) return [...address, ...v, ...simd(0x0b), ...memarg(offset)];
  if (lanes === 1) return [...address, ...v, ...simd(0x5a), ...memarg(offset), 0]; // v128.store32_lane
  if (lanes === 2) return [...address, ...v, ...simd(0x5b), ...memarg(offset), 0]; // v128.store64_lane
  return [
    ...[...address, ...v, ...simd(0x5b), ...memarg(offset), 0],
    ...[...address, ...v, ...simd(0x5a), ...memarg(offset + 8), 2],
  ];
}

/**
 * How two rows' n columns are held: `full` 4-lane vectors per row, then a last vector of `tail` (1–3) columns,
 * one per row, or, for a tail of 1 or 2 (`shared`), one for both rows: [r₀c, r₀c+1, r₁c, r₁c+1] or [r₀c, r₁c, …].
 */
function columnLayout(n: number) {
  const full = Math.floor(n / 4);
  const tail = n - 4 * full;
  const shared = tail === 1 || tail === 2;
  return { full, tail, shared, vectors: 2 * full + (shared ? 1 : tail > 0 ? 2 : 0) };
}

/** The function body for `n` columns, with or without a bias, for a's `layout`. */
function body(n: number, withBias: boolean, layout: SkinnyLayout): Op {
  const { full, tail, shared, vectors } = columnLayout(n);
  const rowBytes = 4 * n;
  const perRow = full + (tail > 0 ? 1 : 0);
  // Accumulators: row 0's full vectors, row 1's, then the shared tail or row 0's and row 1's own.
  const acc = (row: number, j: number) => ACC + (j < full ? row * full + j : 2 * full + (shared ? 0 : row));
  const lanes = (j: number) => (j < full ? 4 : tail);
  const rowOf = (base: number, offset: number, row: number): Op =>
    row === 0 ? get(base) : [...get(base), ...get(offset), ...add];
  const code: Op = [];
  for (let j = 0; j < perRow; j++) {
    if (j === full && shared) {
      // The bias's tail columns as the shared vector holds them.
      const load = tail === 2 ? splat64(16 * j) : splat32(16 * j);
      code.push(...(withBias ? [...get(BIAS), ...load] : zero), ...set(acc(0, j)));
      continue;
    }
    for (let row = 0; row < 2; row++)
      code.push(...(withBias ? loadLanes(get(BIAS), 16 * j, lanes(j)) : zero), ...set(acc(row, j)));
  }
  code.push(...get(A), ...set(TA), ...get(B), ...set(TB));
  // One step of t. The loop keeps few integers live (V8 spilled its counter when it held five strides): b's row
  // step is a constant, and so is a's step ('steps') or its second row's offset ('rows').
  const step: Op = [];
  for (let row = 0; row < 2; row++) {
    const address =
      layout === 'rows' ? [...get(TA), ...splat32(4 * row)] : [...rowOf(TA, A1, row), ...splat32(0)];
    step.push(...address, ...set(SPLAT + row));
  }
  for (let j = 0; j < perRow; j++) {
    if (j === full && shared) {
      // [a₀, a₀, a₁, a₁] · [b_c, b_c+1, b_c, b_c+1], or [a₀, a₁, a₀, a₁] · [b_c ×4].
      step.push(...get(SPLAT), ...get(SPLAT + 1), ...shuffle32(tail === 2 ? [0, 0, 4, 4] : [0, 4, 0, 4]));
      step.push(...get(TB), ...(tail === 2 ? splat64(16 * j) : splat32(16 * j)));
      step.push(...f32x4Mul, ...get(acc(0, j)), ...f32x4Add, ...set(acc(0, j)));
      continue;
    }
    step.push(...loadLanes(get(TB), 16 * j, lanes(j)), ...set(BV));
    for (let row = 0; row < 2; row++)
      step.push(
        ...get(BV),
        ...get(SPLAT + row),
        ...f32x4Mul,
        ...get(acc(row, j)),
        ...f32x4Add,
        ...set(acc(row, j)),
      );
  }
  const aStep = layout === 'steps' ? i32(4) : get(AT);
  step.push(...get(TA), ...aStep, ...add, ...set(TA), ...get(TB), ...i32(rowBytes), ...add, ...tee(TB));
  // Until b's row pointer reaches b's end: no counter to keep.
  step.push(...get(BEND), 0x47, 0x0d, 0x00); // i32.ne, br_if 0
  code.push(...loop(step));
  for (let j = 0; j < perRow; j++) {
    if (j === full && shared) {
      // Row 0's columns are the vector's first (64-bit or 32-bit) lane, row 1's its second.
      const storeLane = simd(tail === 2 ? 0x5b : 0x5a);
      code.push(...get(C), ...get(acc(0, j)), ...storeLane, ...memarg(16 * j), 0);
      code.push(...rowOf(C, C1, 1), ...get(acc(0, j)), ...storeLane, ...memarg(16 * j), 1);
      continue;
    }
    for (let row = 0; row < 2; row++)
      code.push(...storeLanes(rowOf(C, C1, row), 16 * j, lanes(j), acc(row, j)));
  }
  code.push(...get(A), ...get(AGROUP), ...add, ...set(A), ...get(C), ...get(CGROUP), ...add, ...set(C));
  code.push(...countDown(GROUPS));
  // locals: 2 × i32, (2 splats + $bv + the accumulators) × v128
  return [0x02, 0x02, 0x7f, ...leb(3 + vectors), 0x7b, ...loop(code), 0x0b];
}

type Pass = (...args: number[]) => void;

const bodies = new Map<string, Op>();
const LAYOUTS: readonly SkinnyLayout[] = ['steps', 'rows', 'any'];
const names: string[] = [];

/** The module's name, made once (not a new string per call). */
function moduleName(n: number, withBias: boolean, layout: SkinnyLayout): string {
  const i = (2 * n + (withBias ? 1 : 0)) * LAYOUTS.length + LAYOUTS.indexOf(layout);
  return (names[i] ??= `skinny${n}${withBias ? 'b' : ''}${layout}`);
}

/** Where the operands and the output lie (byte addresses in the heap) and how `a` is laid out. */
export interface SkinnyProduct {
  /** a(p, t) is at `a + p·aRowBytes + t·aStepBytes`. */
  readonly a: number;
  readonly aRowBytes: number;
  readonly aStepBytes: number;
  /** b: [k, n], rows contiguous. */
  readonly b: number;
  /** c: [rows, n], written (not added to). */
  readonly c: number;
  /** One value per column added to every row, or undefined. */
  readonly bias?: number;
  readonly rows: number;
  readonly k: number;
  readonly n: number;
}

/** The layout a product's module is compiled for (see `SkinnyLayout`). */
export function skinnyLayout(p: SkinnyProduct): SkinnyLayout {
  // A group's second row is row 1, or for a single row row 0 again: only 'any' reads that offset from $a1.
  if (p.rows === 1) return 'any';
  return p.aStepBytes === 4 ? 'steps' : p.aRowBytes === 4 ? 'rows' : 'any';
}

/**
 * Computes the product described by `p` (rows ≥ 1, k ≥ 1, 1 ≤ n ≤ 16) on this backend's heap; false where the pass
 * cannot run here (no wasm SIMD), and nothing was written.
 */
export function skinnyMatMul(backend: BackendWasm, p: SkinnyProduct): boolean {
  const withBias = p.bias !== undefined;
  const layout = skinnyLayout(p);
  const name = moduleName(p.n, withBias, layout);
  // The body is built once per module: building it on every call cost more than the product.
  let code = bodies.get(name);
  if (!code) bodies.set(name, (code = body(p.n, withBias, layout)));
  const pass = compileSimd<Pass>(backend, name, PARAMS, code);
  if (!pass) return false;
  const rowBytes = 4 * p.n;
  const bias = p.bias ?? 0;
  const { a, b, c, k, aRowBytes, aStepBytes } = p;
  const groups = p.rows >> 1;
  if (p.rows === 1) {
    // One row: the group's second row is the first again (computed and written twice).
    pass(a, b, c, bias, 1, b + k * rowBytes, aStepBytes, 0, 0, 0, 0);
    return true;
  }
  pass(a, b, c, bias, groups, b + k * rowBytes, aStepBytes, aRowBytes, rowBytes, 2 * aRowBytes, 2 * rowBytes);
  if (p.rows & 1) {
    // An odd last row: the group of the last two rows (the second-to-last row is computed again, the same bits).
    const from = p.rows - 2;
    pass(
      a + from * aRowBytes,
      b,
      c + from * rowBytes,
      bias,
      1,
      b + k * rowBytes,
      aStepBytes,
      aRowBytes,
      rowBytes,
      0,
      0,
    );
  }
  return true;
}
