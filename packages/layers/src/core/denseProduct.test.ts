import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '@nutshell/tensor';
import { Dense } from '../index.js';
import { denseProduct } from './denseProduct.js';

let seed = 3;
const values = (n: number) =>
  Float32Array.from({ length: n }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 31 - 1;
  });

/** Float64 x·W + b of row-major arrays. */
function reference(
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  rows: number,
  k: number,
  n: number,
): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < n; j++) {
      let s = b[j];
      for (let t = 0; t < k; t++) s += x[r * k + t] * w[t * n + j];
      out.push(s);
    }
  return out;
}

const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(tol);
};

/** The kernels `f` runs, by name. */
async function kernelsOf(f: () => Tensor | Tensor[]): Promise<string[]> {
  const info = await tf.profile(() => f() as Tensor);
  return info.kernels.map((k) => k.name);
}

describe('Dense as one fused product (denseProduct)', () => {
  const [rows, k, n] = [5, 7, 3];
  const X = values(rows * k);
  const W = values(k * n);
  const B = values(n);

  it('gives x·W + b against float64, as one _FusedMatMul kernel', async () => {
    const x = tf.tensor2d(X, [rows, k]);
    const w = tf.tensor2d(W, [k, n]);
    const b = tf.tensor1d(B);
    const names = await kernelsOf(() => denseProduct(x, w, b)!);
    expect(names).toEqual(['_FusedMatMul']);
    const y = denseProduct(x, w, b)!;
    expect(y.shape).toEqual([rows, n]);
    close(y.dataSync(), reference(X, W, B, rows, k, n));
    tf.dispose([x, w, b, y]);
  });

  it('gives the gradients of x, W and b (against float64), and only the ones asked for', async () => {
    const x = tf.tensor2d(X, [rows, k]);
    const w = tf.tensor2d(W, [k, n]);
    const b = tf.tensor1d(B);
    const r = tf.tensor2d(values(rows * n), [rows, n]); // loss = Σ r ∘ y, so dy = r
    const R = r.dataSync();
    const loss = (xx: Tensor, ww: Tensor, bb: Tensor) => tf.sum(tf.mul(denseProduct(xx, ww, bb)!, r));
    const [dx, dw, db] = tf.grads(loss)([x, w, b]);
    // dx = r·Wᵀ, dW = xᵀ·r, db = Σ rows of r
    const dxRef: number[] = [];
    for (let i = 0; i < rows; i++)
      for (let t = 0; t < k; t++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += R[i * n + j] * W[t * n + j];
        dxRef.push(s);
      }
    const dwRef: number[] = [];
    for (let t = 0; t < k; t++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s += X[i * k + t] * R[i * n + j];
        dwRef.push(s);
      }
    const dbRef = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let i = 0; i < rows; i++) s += R[i * n + j];
      return s;
    });
    close(dx.dataSync(), dxRef);
    close(dw.dataSync(), dwRef);
    close(db.dataSync(), dbRef);
    // Gradients of W and b only: one product for dW, none for x.
    const names = await kernelsOf(() => tf.grads((ww: Tensor, bb: Tensor) => loss(x, ww, bb))([w, b]));
    expect(names.filter((name) => name === 'BatchMatMul')).toHaveLength(1);
    tf.dispose([x, w, b, r, dx, dw, db]);
  });

  it('registered gradient agrees with tfjs’s for every pair of transposes', () => {
    for (const [tA, tB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ]) {
      const a = tf.tensor2d(values(rows * k), tA ? [k, rows] : [rows, k]);
      const w = tf.tensor2d(values(k * n), tB ? [n, k] : [k, n]);
      const b = tf.tensor1d(values(n));
      const r = tf.tensor2d(values(rows * n), [rows, n]);
      const fused = (aa: Tensor, ww: Tensor, bb: Tensor) =>
        tf.sum(
          tf.mul(
            tf
              .engine()
              .runKernel(
                tf._FusedMatMul,
                { a: aa, b: ww, bias: bb },
                { transposeA: tA, transposeB: tB },
              ) as Tensor,
            r,
          ),
        );
      const plain = (aa: Tensor, ww: Tensor, bb: Tensor) =>
        tf.sum(tf.mul(tf.add(tf.matMul(aa, ww, tA, tB), bb), r));
      const got = tf.grads(fused)([a, w, b]);
      const want = tf.grads(plain)([a, w, b]);
      got.forEach((g, i) => {
        expect(g.shape).toEqual(want[i].shape);
        close(g.dataSync(), want[i].dataSync());
      });
      tf.dispose([a, w, b, r, ...got, ...want]);
    }
  });

  it('leaves other inputs to the caller: rank 3, int32, a width or bias that does not match', () => {
    const w = tf.tensor2d(W, [k, n]);
    const b = tf.tensor1d(B);
    const cases = [tf.zeros([2, rows, k]), tf.zeros([rows, k], 'int32'), tf.zeros([rows, k + 1])];
    for (const x of cases) expect(denseProduct(x, w, b)).toBeUndefined();
    const b2 = tf.zeros([n + 1]);
    expect(denseProduct(tf.zeros([rows, k]), w, b2)).toBeUndefined();
    tf.dispose([w, b, b2, ...cases]);
  });

  it('Dense trains through it: a fit of y = x·W₀ + b₀ recovers W₀ and b₀', () => {
    const d = new Dense({ units: 2, seed: 1 });
    const x = tf.tensor2d(values(64 * 3), [64, 3]);
    const w0 = tf.tensor2d([
      [1, -2],
      [0.5, 0],
      [-1, 3],
    ]);
    const b0 = tf.tensor1d([0.25, -0.5]);
    const y = tf.add(tf.matMul(x, w0), b0);
    d.apply(x).dispose();
    const vars = d.trainableWeights.map((v) => v.variable);
    const opt = tf.train.sgd(0.3);
    for (let i = 0; i < 300; i++)
      opt.minimize(() => tf.mean(tf.square(tf.sub(d.apply(x) as Tensor, y))) as tf.Scalar, false, vars);
    close(vars[0].dataSync(), w0.dataSync(), 1e-3);
    close(vars[1].dataSync(), b0.dataSync(), 1e-3);
    tf.dispose([x, w0, b0, y]);
    opt.dispose();
    d.dispose();
  });
});
