import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/backend';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { onWasm, uniforms } from '../test-utils/wasmTests.js';
import { heapF32 } from './heap.js';
import { skinnyMatMul } from './skinnyMatMul.js';

onWasm();

const centred = (n: number, seed: number) => Float32Array.from(uniforms(n, seed), (u) => 2 * u - 1);

/**
 * Checks `got` ([rows, n]) against a float64 reference of bias + a·b, a given as [rows, k] values, within the
 * rounding bound of a float32 sum of k + 1 terms: (k + 2)·2⁻²⁴·(|bias| + Σ|a·b|).
 */
function expectProduct(
  got: ArrayLike<number>,
  a: Float32Array,
  b: Float32Array,
  rows: number,
  k: number,
  n: number,
  bias?: Float32Array,
) {
  expect(got.length).toBe(rows * n);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < n; j++) {
      let sum = bias ? bias[j] : 0;
      let mag = Math.abs(sum);
      for (let t = 0; t < k; t++) {
        sum += a[r * k + t] * b[t * n + j];
        mag += Math.abs(a[r * k + t] * b[t * n + j]);
      }
      const err = Math.abs(got[r * n + j] - sum);
      if (!(err <= (k + 2) * 2 ** -24 * mag + 1e-30))
        throw new Error(
          `c[${r}, ${j}] = ${got[r * n + j]}, float64 reference ${sum} (rows ${rows}, k ${k}, n ${n})`,
        );
    }
}

/** a as [k, rows] values (its transpose). */
const transposed = (a: Float32Array, rows: number, k: number) =>
  Float32Array.from({ length: rows * k }, (_, i) => a[(i % rows) * k + Math.floor(i / rows)]);

describe('products with few columns (one SIMD pass)', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 10, 13, 16])(
    'n = %i: a·b, aᵀ·b and a·b + bias against float64, odd and even rows',
    (n) => {
      for (const [rows, k] of [
        [1, 1],
        [2, 5],
        [7, 33],
        [64, 784],
      ]) {
        const a = centred(rows * k, n * 31 + rows);
        const b = centred(k * n, n * 17 + k);
        const bias = centred(n, n);
        const before = tf.memory().numTensors;
        const [plain, fromT, withBias] = tf.tidy(() => [
          tf.matMul(tf.tensor2d(a, [rows, k]), tf.tensor2d(b, [k, n])),
          tf.matMul(tf.tensor2d(transposed(a, rows, k), [k, rows]), tf.tensor2d(b, [k, n]), true, false),
          tf.fused.matMul({
            a: tf.tensor2d(a, [rows, k]),
            b: tf.tensor2d(b, [k, n]),
            bias: tf.tensor1d(bias),
          }),
        ]);
        expect(plain.shape).toEqual([rows, n]);
        expectProduct(plain.dataSync(), a, b, rows, k, n);
        expectProduct(fromT.dataSync(), a, b, rows, k, n);
        expectProduct(withBias.dataSync(), a, b, rows, k, n, bias);
        tf.dispose([plain, fromT, withBias]);
        expect(tf.memory().numTensors).toBe(before);
      }
    },
  );

  it('folds a batch of a against one b into rows, and keeps the batch shape', () => {
    const [batch, m, k, n] = [3, 5, 9, 10];
    const a = centred(batch * m * k, 5);
    const b = centred(k * n, 6);
    const c = tf.tidy(() => tf.matMul(tf.tensor3d(a, [batch, m, k]), tf.tensor2d(b, [k, n])));
    expect(c.shape).toEqual([batch, m, n]);
    expectProduct(c.dataSync(), a, b, batch * m, k, n);
    c.dispose();
  });

  it('propagates NaN and Infinity as a plain loop does', () => {
    const a = Float32Array.of(1, NaN, 2, 3, Infinity, 1);
    const b = Float32Array.of(1, 2, 3, 4, 5, 6);
    const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [3, 2]), tf.tensor2d(b, [2, 3])));
    const v = Array.from(c.dataSync());
    expect(v.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(v.slice(3, 6)).toEqual([2 + 12, 4 + 15, 6 + 18]);
    expect(v.slice(6, 9)).toEqual([Infinity, Infinity, Infinity]);
    c.dispose();
  });

  it.each([
    [1, false],
    [2, false],
    [3, false],
    [5, false],
    [10, false],
    [15, false],
    [1, true],
    [3, true],
    [10, true],
    [12, true],
  ])('n = %i, a transposed %s: writes the rows of c and nothing around them', (n, transpose) => {
    const backend = tf.backend() as unknown as BackendWasm;
    const [rows, k] = [9, 6];
    const a = centred(rows * k, 1);
    const b = centred(k * n, 2);
    const ta = transpose ? tf.tensor2d(transposed(a, rows, k), [k, rows]) : tf.tensor2d(a, [rows, k]);
    const tb = tf.tensor2d(b, [k, n]);
    // c lies inside a larger buffer of sentinels, 4 values in from its start.
    const frame = tf.fill([rows * n + 8], 7);
    const [ha, hb, hf] = [ta, tb, frame].map((t) => heapF32(backend, t));
    expect(
      skinnyMatMul(backend, {
        a: ha.byteOffset,
        aRowBytes: transpose ? 4 : 4 * k,
        aStepBytes: transpose ? 4 * rows : 4,
        b: hb.byteOffset,
        c: hf.byteOffset + 16,
        rows,
        k,
        n,
      }),
    ).toBe(true);
    const out = heapF32(backend, frame);
    expect(Array.from(out.subarray(0, 4))).toEqual([7, 7, 7, 7]);
    expect(Array.from(out.subarray(4 + rows * n))).toEqual([7, 7, 7, 7]);
    expectProduct(out.subarray(4, 4 + rows * n), a, b, rows, k, n);
    tf.dispose([ta, tb, frame]);
  });
});

describe('products with few columns: bit for bit a plain float32 loop', () => {
  /** c[r, j] = bias[j] + Σ_t a(r, t)·b[t, j], t ascending, every product and sum rounded to float32. */
  function float32Loop(
    a: (r: number, t: number) => number,
    b: Float32Array,
    rows: number,
    k: number,
    n: number,
    bias?: Float32Array,
  ) {
    const c = new Float32Array(rows * n);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < n; j++) {
        let sum = bias ? bias[j] : 0;
        for (let t = 0; t < k; t++) sum = Math.fround(sum + Math.fround(a(r, t) * b[t * n + j]));
        c[r * n + j] = sum;
      }
    return c;
  }

  type Layout = 'steps' | 'rows' | 'any';

  /**
   * Runs the pass on a (given as `values`, [rows, 2k] of which the even columns are a) in `layout` — 'steps':
   * a stored [rows, k]; 'rows': stored as [k, rows] (aᵀ); 'any': read from every other column of the [rows, 2k]
   * matrix (neither stride is 4 bytes) — and expects the float32 loop's bits, −0 and NaN included.
   */
  function expectLoopBits(
    layout: Layout,
    rows: number,
    k: number,
    n: number,
    values: Float32Array,
    b: Float32Array,
    bias?: Float32Array,
  ) {
    const backend = tf.backend() as unknown as BackendWasm;
    const a = (r: number, t: number) => values[r * 2 * k + 2 * t];
    const stored =
      layout === 'steps'
        ? Float32Array.from({ length: rows * k }, (_, i) => a(Math.floor(i / k), i % k))
        : layout === 'rows'
          ? Float32Array.from({ length: rows * k }, (_, i) => a(i % rows, Math.floor(i / rows)))
          : values;
    const [aRowBytes, aStepBytes] =
      layout === 'steps' ? [4 * k, 4] : layout === 'rows' ? [4, 4 * rows] : [8 * k, 8];
    const [ta, tb, tbias, tc] = [
      tf.tensor1d(stored),
      tf.tensor1d(b),
      tf.tensor1d(bias ?? new Float32Array(n)),
      tf.zeros([rows * n]),
    ];
    const at = (t: tf.Tensor) => heapF32(backend, t).byteOffset;
    const ran = skinnyMatMul(backend, {
      a: at(ta),
      aRowBytes,
      aStepBytes,
      b: at(tb),
      c: at(tc),
      bias: bias ? at(tbias) : undefined,
      rows,
      k,
      n,
    });
    expect(ran).toBe(true);
    const want = float32Loop(a, b, rows, k, n, bias);
    const got = heapF32(backend, tc).slice();
    tf.dispose([ta, tb, tbias, tc]);
    for (let i = 0; i < want.length; i++)
      if (!Object.is(got[i], want[i]))
        throw new Error(
          `${layout}, n ${n}, rows ${rows}, k ${k}, bias ${bias !== undefined}: c[${i}] = ${got[i]}, float32 loop ${want[i]}`,
        );
  }

  const SHAPES = [
    [1, 1],
    [1, 6],
    [2, 1],
    [3, 5],
    [4, 2],
    [7, 33],
  ];

  it.each(['steps', 'rows', 'any'] as const)(
    'layout %s: n = 1…16, 1–7 rows, with and without bias',
    (layout) => {
      for (let n = 1; n <= 16; n++)
        for (const [rows, k] of SHAPES) {
          const seed = 100 * n + 10 * rows + k;
          const values = centred(rows * k * 2, seed);
          const b = centred(k * n, seed + 1);
          for (const bias of [undefined, centred(n, seed + 2)])
            expectLoopBits(layout, rows, k, n, values, b, bias);
        }
    },
  );

  // a mostly ±0 (as MNIST pixels), with NaN or ±Inf in b (0·Inf = NaN must reach every row) and −0 in the bias
  // (a plain loop's +0 products turn it into +0): the same bits. (Skipping steps whose a values are both 0 was
  // tried: bit-identical, faster on one repeated batch, but 1.5–2.5× slower on changing batches, where the
  // branch mispredicts.)
  const sparse = (count: number, seed: number) =>
    Float32Array.from(uniforms(count, seed), (u, i) => (u < 0.7 ? (i % 3 === 0 ? -0 : 0) : 4 * u - 3));

  it.each(['steps', 'rows', 'any'] as const)(
    'layout %s, a mostly ±0: n = 1…16, with and without bias',
    (layout) => {
      for (let n = 1; n <= 16; n++)
        for (const [rows, k] of [...SHAPES, [64, 50]]) {
          const seed = 300 * n + 10 * rows + k;
          const values = sparse(rows * k * 2, seed);
          const b = centred(k * n, seed + 1);
          for (const bias of [undefined, centred(n, seed + 2)])
            expectLoopBits(layout, rows, k, n, values, b, bias);
        }
    },
  );

  it.each(['steps', 'rows'] as const)(
    'layout %s, a mostly ±0: NaN and ±Inf in b, −0 in the bias',
    (layout) => {
      const [rows, k] = [8, 40];
      for (const n of [3, 10]) {
        const values = sparse(rows * k * 2, n);
        for (const special of [NaN, Infinity, -Infinity]) {
          const b = centred(k * n, n + 1);
          b[7 * n + 1] = special; // row t = 7, where some of a is 0
          expectLoopBits(layout, rows, k, n, values, b);
        }
        // b ≥ 0 and all of a zero in some columns of a row: a −0 bias stays −0 only if nothing is added.
        const b = Float32Array.from(centred(k * n, n + 2), Math.abs);
        const bias = Float32Array.from({ length: n }, (_, j) => (j % 2 ? -0 : 0.5));
        expectLoopBits(layout, rows, k, n, new Float32Array(rows * k * 2), b, bias);
        expectLoopBits(layout, rows, k, n, values, b, bias);
      }
    },
  );
});
