// Products with few output columns (n ≤ 16) in one hand-written wasm SIMD pass over the heap: softmax regression's
// forward x·W ([64, 784]·[784, 10]) and its weight gradient xᵀ·dY ([64, 784]ᵀ·[64, 10]).
//
// Why. XNNPACK's fully-connected operator packs `b` for every new tensor id, and a training step's weights and
// gradients are new every step; the transposed product also needed x transposed first (a 200 KB copy). With fresh
// operands each call, as in training, min of 2,000 calls (load 5.6–6.9, 2026-12-06 04:57 UTC): x·W 0.070–0.076 ms
// on XNNPACK against 0.032 here; xᵀ·dY 0.079–0.082 against 0.030. This pass reads the operands where they lie, in
// either layout of `a`, with no set-up.
//
// How. c[p, 0..n) = bias + Σ_t a(p, t) · b[t, 0..n), t ascending (float32 products and sums, as a plain loop does).
// Two rows of c at a time: for each t, the two a values are splatted and each 4-column vector of b's row t is
// loaded once and multiplied into both rows' accumulators, which stay in locals. n is compiled into the module (one
// per n, built on first use), so a last vector of 1–3 columns is loaded and stored with the lane instructions and
// nothing outside the operands is read or written.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { add, compileSimd, countDown, get, leb, loop, set, simd, type Op } from './simdModule.js';

/** The most output columns this pass takes: 4 vectors of accumulators for each of its two rows. */
export const SKINNY_MAX_COLUMNS = 16;

/**
 * Rows of c computed together: each vector of b's row t is loaded once for all of them. Four rows (12
 * accumulators at n = 10) measured 1.5× slower than two: V8 then spills accumulators to the stack.
 */
const ROWS = 2;

// (func (param $a $b $c $bias $groups $k $at $bRow $a1…$a3 $c1…$c3 $aGroup $cGroup i32)): byte addresses and
// strides; `$a1…`/`$c1…` are the offsets of the group's other rows (a last, short group repeats its last row,
// which is then computed and written twice).
const [A, B, C, BIAS, GROUPS, K, AT, BROW] = [0, 1, 2, 3, 4, 5, 6, 7];
const AOFF = 8; // $a1 …: ROWS − 1 of them, then as many $c offsets
const COFF = AOFF + ROWS - 1;
const AGROUP = COFF + ROWS - 1;
const CGROUP = AGROUP + 1;
const PARAMS = CGROUP + 1;
// Locals: $ta $tb $t i32, then the splats, $bv and the accumulators, v128.
const [TA, TB, T] = [PARAMS, PARAMS + 1, PARAMS + 2];
const SPLAT = PARAMS + 3;
const BV = SPLAT + ROWS;
const ACC = BV + 1;

const memarg = (offset: number): Op => [0x00, ...leb(offset)]; // alignment hint 1 byte, then the offset
const f32x4Mul = simd(0xe6);
const f32x4Add = simd(0xe4);
const loadSplat = [...simd(0x09), ...memarg(0)]; // v128.load32_splat

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

/** The function body for `n` columns, with or without a bias. */
function body(n: number, withBias: boolean): Op {
  const vectors = Math.ceil(n / 4);
  const lanes = (j: number) => Math.min(4, n - 4 * j);
  const acc = (row: number, j: number) => ACC + row * vectors + j;
  const zero = [...simd(0x0c), ...Array<number>(16).fill(0)]; // v128.const 0
  const rowAt = (base: number, first: number, row: number): Op =>
    row === 0 ? get(base) : [...get(base), ...get(first + row - 1), ...add];
  const code: Op = [];
  for (let row = 0; row < ROWS; row++)
    for (let j = 0; j < vectors; j++)
      code.push(...(withBias ? loadLanes(get(BIAS), 16 * j, lanes(j)) : zero), ...set(acc(row, j)));
  code.push(...get(A), ...set(TA), ...get(B), ...set(TB), ...get(K), ...set(T));
  const step: Op = [];
  for (let row = 0; row < ROWS; row++) step.push(...rowAt(TA, AOFF, row), ...loadSplat, ...set(SPLAT + row));
  for (let j = 0; j < vectors; j++) {
    step.push(...loadLanes(get(TB), 16 * j, lanes(j)), ...set(BV));
    for (let row = 0; row < ROWS; row++)
      step.push(
        ...get(BV),
        ...get(SPLAT + row),
        ...f32x4Mul,
        ...get(acc(row, j)),
        ...f32x4Add,
        ...set(acc(row, j)),
      );
  }
  step.push(
    ...get(TA),
    ...get(AT),
    ...add,
    ...set(TA),
    ...get(TB),
    ...get(BROW),
    ...add,
    ...set(TB),
    ...countDown(T),
  );
  code.push(...loop(step));
  for (let row = 0; row < ROWS; row++)
    for (let j = 0; j < vectors; j++)
      code.push(...storeLanes(rowAt(C, COFF, row), 16 * j, lanes(j), acc(row, j)));
  code.push(
    ...get(A),
    ...get(AGROUP),
    ...add,
    ...set(A),
    ...get(C),
    ...get(CGROUP),
    ...add,
    ...set(C),
    ...countDown(GROUPS),
  );
  // locals: 3 × i32, (ROWS + 1 + ROWS·vectors) × v128
  return [0x02, 0x03, 0x7f, ...leb(ROWS + 1 + ROWS * vectors), 0x7b, ...loop(code), 0x0b];
}

type Pass = (...args: number[]) => void;

const bodies = new Map<string, Op>();

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

/**
 * Computes the product described by `p` (rows ≥ 1, k ≥ 1, 1 ≤ n ≤ 16) on this backend's heap; false where the pass
 * cannot run here (no wasm SIMD), and nothing was written.
 */
export function skinnyMatMul(backend: BackendWasm, p: SkinnyProduct): boolean {
  const withBias = p.bias !== undefined;
  const name = `skinny${p.n}${withBias ? 'b' : ''}`;
  // The body is built once per module: building it on every call cost more than the product.
  let code = bodies.get(name);
  if (!code) bodies.set(name, (code = body(p.n, withBias)));
  const pass = compileSimd<Pass>(backend, name, PARAMS, code);
  if (!pass) return false;
  const rowBytes = 4 * p.n;
  const groups = Math.floor(p.rows / ROWS);
  const bias = p.bias ?? 0;
  /** The offsets of a group's other rows: rows 1…ROWS − 1, or the last of `rows` rows repeated. */
  const offsets = (stride: number, rows: number) =>
    Array.from({ length: ROWS - 1 }, (_, i) => Math.min(i + 1, rows - 1) * stride);
  const call = (from: number, count: number, rows: number) =>
    pass(
      p.a + from * p.aRowBytes,
      p.b,
      p.c + from * rowBytes,
      bias,
      count,
      p.k,
      p.aStepBytes,
      rowBytes,
      ...offsets(p.aRowBytes, rows),
      ...offsets(rowBytes, rows),
      ROWS * p.aRowBytes,
      ROWS * rowBytes,
    );
  if (groups > 0) call(0, groups, ROWS);
  const rest = p.rows - groups * ROWS;
  if (rest > 0) call(groups * ROWS, 1, rest);
  return true;
}
