import { describe, expect, it } from 'vitest';
import { tf } from '../index.js';

/** Central differences in float64 of `f` at `p`. */
function numericGrad(f: (p: number[]) => number, p: number[], h = 1e-6): number[] {
  return p.map((_, i) => {
    const up = p.slice();
    const down = p.slice();
    up[i] += h;
    down[i] -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

function expectClose(actual: ArrayLike<number>, expected: number[], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i])));
}

const a = [0.3, -0.8, 1.2, 0.5, 0.9, -0.1];
const b = [0.7, -0.2, 0.4];
const w = a.map((_, i) => Math.cos(i + 0.5));

describe('squaredDifference gradient with broadcasting (Nutshell fix)', () => {
  it('sums the gradient of the broadcast input over the broadcast axis', async () => {
    const loss = (pa: number[], pb: number[]) => pa.reduce((s, v, i) => s + w[i] * (v - pb[i % 3]) ** 2, 0);
    const wt = tf.tensor2d(w, [2, 3]);
    const [ga, gb] = tf.grads(((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(wt, tf.squaredDifference(x, y)))) as (...t: tf.Tensor[]) => tf.Tensor)([
      tf.tensor2d(a, [2, 3]),
      tf.tensor1d(b),
    ]);
    expect(gb.shape).toEqual([3]);
    expectClose(await ga.data(), numericGrad((p) => loss(p, b), a));
    expectClose(await gb.data(), numericGrad((p) => loss(a, p), b));
  });
});

describe('prod gradient (Nutshell fix)', () => {
  it('matches central differences over one axis, several axes and all axes, with a zero entry', async () => {
    const x = [0.9, 1.1, 0, 1.3, 0.8, 1.2]; // [2, 3], one zero
    const prodAxis1 = (p: number[]) => [p[0] * p[1] * p[2], p[3] * p[4] * p[5]];
    const g1 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tensor1d([0.5, -2]), tf.prod(t, 1))))(tf.tensor2d(x, [2, 3]));
    expectClose(await g1.data(), numericGrad((p) => 0.5 * prodAxis1(p)[0] - 2 * prodAxis1(p)[1], x));
    const gAll = tf.grad((t: tf.Tensor) => tf.prod(t))(tf.tensor2d(x, [2, 3]));
    expectClose(await gAll.data(), numericGrad((p) => p.reduce((s, v) => s * v, 1), x));
    const x3 = [0.9, 1.1, 1.05, 1.3, 0.8, 1.2, 0.95, 1.15]; // [2, 2, 2], prod over axes 0 and 2
    const g02 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tensor1d([1, 3]), tf.prod(t, [0, 2]))))(tf.tensor3d(x3, [2, 2, 2]));
    const ref = (p: number[]) => p[0] * p[1] * p[4] * p[5] + 3 * p[2] * p[3] * p[6] * p[7];
    expectClose(await g02.data(), numericGrad(ref, x3));
  });
});

describe('avgPool gradient with padding (Nutshell fix)', () => {
  // 3×3 input, 3×3 window, stride 1, 'same': each output averages the in-image part of its window.
  const x = [0.1, 0.5, -0.3, 0.8, -0.6, 0.2, 0.4, 0.9, -0.7];
  const wo = [1, -0.5, 0.25, 2, 0.75, -1, 0.5, 1.5, -0.25];
  const avgSame = (p: number[]) => {
    const out: number[] = [];
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let n = 0;
        for (let dr = -1; dr <= 1; dr++)
          for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr;
            const cc = c + dc;
            if (rr >= 0 && rr < 3 && cc >= 0 && cc < 3) {
              s += p[rr * 3 + cc];
              n++;
            }
          }
        out.push(s / n);
      }
    return out;
  };

  it("divides by the positions inside the image, as the forward pass does ('same', stride 1)", async () => {
    const wt = tf.tensor4d(wo, [1, 3, 3, 1]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(wt, tf.avgPool(t as tf.Tensor4D, 3, 1, 'same'))))(tf.tensor4d(x, [1, 3, 3, 1]));
    expectClose(await g.data(), numericGrad((p) => avgSame(p).reduce((s, v, i) => s + wo[i] * v, 0), x));
  });

  it("is unchanged for 'valid' pooling", async () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.avgPool(t as tf.Tensor4D, 2, 1, 'valid')))(tf.tensor4d(x, [1, 3, 3, 1]));
    expect(Array.from(await g.data())).toEqual([0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
  });
});
