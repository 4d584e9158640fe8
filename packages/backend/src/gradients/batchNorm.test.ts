import { describe, expect, it } from 'vitest';
import { tf } from '../index.js';

// Host float64 reference: L = Σ w · ((x − m)/√(v + ε) · s + o), with per-channel m, v, s, o over the last axis.
const EPS = 1e-3;
function lossF64(x: number[], m: number[], v: number[], s: number[] | null, o: number[] | null, w: number[], c: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const k = i % c;
    total += w[i] * (((x[i] - m[k]) / Math.sqrt(v[k] + EPS)) * (s ? s[k] : 1) + (o ? o[k] : 0));
  }
  return total;
}

/** Central differences in float64 of `f` at `p`, one coordinate at a time. */
function numericGrad(f: (p: number[]) => number, p: number[], h = 1e-5): number[] {
  return p.map((_, i) => {
    const up = p.slice();
    const down = p.slice();
    up[i] += h;
    down[i] -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i])));
  }
}

const C = 3;
const x = [0.5, -1.2, 2.0, 1.5, 0.3, -0.7, -0.4, 0.9, 1.1, 2.2, -1.8, 0.1];
const m = [0.4, 0.1, 0.2];
const v = [0.8, 1.7, 0.3];
const s = [1.5, -0.5, 2.0];
const w = x.map((_, i) => Math.sin(i + 1));

describe('batchNorm gradient (Nutshell fix)', () => {
  it('works without offset and scale, matching float64 central differences for x, mean and variance', async () => {
    const before = tf.memory().numTensors;
    const wt = tf.tensor2d(w, [4, C]);
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(wt, tf.batchNorm(a, b, c, undefined, undefined, EPS)));
    const [gx, gm, gv] = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([tf.tensor2d(x, [4, C]), tf.tensor1d(m), tf.tensor1d(v)]);
    expectClose(await gx.data(), numericGrad((p) => lossF64(p, m, v, null, null, w, C), x), 1e-5);
    expectClose(await gm.data(), numericGrad((p) => lossF64(x, p, v, null, null, w, C), m), 1e-5);
    expectClose(await gv.data(), numericGrad((p) => lossF64(x, m, p, null, null, w, C), v), 1e-4);
    tf.dispose([gx, gm, gv, wt]);
    // only the three input tensors made inline by the test remain
    expect(tf.memory().numTensors - before).toBe(3);
  });

  it('works with scale but no offset, and gives the scale gradient', async () => {
    const wt = tf.tensor2d(w, [4, C]);
    const f = (a: tf.Tensor, sc: tf.Tensor) => tf.sum(tf.mul(wt, tf.batchNorm(a, tf.tensor1d(m), tf.tensor1d(v), undefined, sc, EPS)));
    const [gx, gs] = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([tf.tensor2d(x, [4, C]), tf.tensor1d(s)]);
    expectClose(await gx.data(), numericGrad((p) => lossF64(p, m, v, s, null, w, C), x), 1e-5);
    expectClose(await gs.data(), numericGrad((p) => lossF64(x, m, v, p, null, w, C), s), 1e-5);
  });

  it('flows through batch statistics computed from x (training-mode normalisation)', async () => {
    const wt = tf.tensor2d(w, [4, C]);
    const f = (a: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, 0);
      return tf.sum(tf.mul(wt, tf.batchNorm(a, mean, variance, undefined, undefined, EPS)));
    };
    const ref = (p: number[]) => {
      const mu = [0, 1, 2].map((k) => (p[k] + p[k + 3] + p[k + 6] + p[k + 9]) / 4);
      const va = [0, 1, 2].map((k) => [0, 3, 6, 9].reduce((acc, r) => acc + (p[k + r] - mu[k]) ** 2, 0) / 4);
      return lossF64(p, mu, va, null, null, w, C);
    };
    const gx = tf.grad(f)(tf.tensor2d(x, [4, C]));
    expectClose(await gx.data(), numericGrad(ref, x), 1e-4);
  });

  it('leaves the forward result unchanged and is exact when no gradient is recorded', async () => {
    const y = tf.batchNorm(tf.tensor2d(x, [4, C]), tf.tensor1d(m), tf.tensor1d(v), undefined, undefined, EPS);
    const expected = x.map((xi, i) => (xi - m[i % C]) / Math.sqrt(v[i % C] + EPS));
    expectClose(await y.data(), expected, 1e-6);
  });

  it('handles mean/variance of rank 2 broadcast over a 4-D input', async () => {
    const x4 = tf.tensor4d(x, [2, 1, 2, C]);
    const g = tf.grads(((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.batchNorm(a, b, tf.tensor2d(v, [1, C]), undefined, undefined, EPS))) as (
      ...t: tf.Tensor[]
    ) => tf.Tensor)([x4, tf.tensor2d(m, [1, C])]);
    expect(g[1].shape).toEqual([1, C]);
    const expected = numericGrad((p) => lossF64(x, p, v, null, null, x.map(() => 1), C), m);
    expectClose(await g[1].data(), expected, 1e-5);
  });
});
