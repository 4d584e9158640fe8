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

describe('dilated convolution gradients (Nutshell addition)', () => {
  // Direct float64 dilated correlation, 'valid' or 'same', NHWC / HWIO, batch 1; depthwise with multiplier 1.
  function conv(x: number[], H: number, W: number, C: number, f: number[], K: number, CO: number, d: number, same: boolean, depthwise: boolean) {
    const eff = (K - 1) * d + 1;
    const OH = same ? H : H - eff + 1;
    const OW = same ? W : W - eff + 1;
    const top = same ? Math.floor((eff - 1) / 2) : 0;
    const out: number[] = [];
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let co = 0; co < CO; co++) {
          let s = 0;
          for (let kh = 0; kh < K; kh++)
            for (let kw = 0; kw < K; kw++) {
              const r = i - top + kh * d;
              const c = j - top + kw * d;
              if (r < 0 || r >= H || c < 0 || c >= W) continue;
              if (depthwise) s += x[(r * W + c) * C + co] * f[(kh * K + kw) * C + co];
              else for (let ci = 0; ci < C; ci++) s += x[(r * W + c) * C + ci] * f[((kh * K + kw) * C + ci) * CO + co];
            }
          out.push(s);
        }
    return out;
  }
  const x = Array.from({ length: 6 * 6 * 2 }, (_, i) => Math.sin(1.3 * i + 0.2));
  const f = Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => Math.cos(0.7 * i));
  const fd = f.slice(0, 2 * 2 * 2);

  for (const same of [false, true]) {
    it(`conv2d dilation 2 (${same ? 'same' : 'valid'}) matches central differences`, async () => {
      const pad = same ? 'same' : 'valid';
      const loss = (px: number[], pf: number[]) => conv(px, 6, 6, 2, pf, 2, 3, 2, same, false).reduce((s, v, i) => s + Math.sin(i) * v, 0);
      const out = conv(x, 6, 6, 2, f, 2, 3, 2, same, false);
      const wt = tf.tensor(out.map((_, i) => Math.sin(i)), [1, same ? 6 : 4, same ? 6 : 4, 3]);
      const [gx, gf] = tf.grads(((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(wt, tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad, 'NHWC', 2)))) as (
        ...t: tf.Tensor[]
      ) => tf.Tensor)([tf.tensor4d(x, [1, 6, 6, 2]), tf.tensor4d(f, [2, 2, 2, 3])]);
      expectClose(await gx.data(), numericGrad((p) => loss(p, f), x), 1e-4);
      expectClose(await gf.data(), numericGrad((p) => loss(x, p), f), 1e-4);
    });
  }

  it('depthwiseConv2d dilation 2 matches central differences', async () => {
    const loss = (px: number[], pf: number[]) => conv(px, 6, 6, 2, pf, 2, 2, 2, false, true).reduce((s, v, i) => s + Math.cos(i) * v, 0);
    const wt = tf.tensor(Array.from({ length: 4 * 4 * 2 }, (_, i) => Math.cos(i)), [1, 4, 4, 2]);
    const [gx, gf] = tf.grads(((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(wt, tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid', 'NHWC', 2)))) as (
      ...t: tf.Tensor[]
    ) => tf.Tensor)([tf.tensor4d(x, [1, 6, 6, 2]), tf.tensor4d(fd, [2, 2, 2, 1])]);
    expectClose(await gx.data(), numericGrad((p) => loss(p, fd), x), 1e-4);
    expectClose(await gf.data(), numericGrad((p) => loss(x, p), fd), 1e-4);
  });
});

describe('gather gradient with batchDims = 1 (Nutshell fix)', () => {
  it('sums each batch entry’s rows of dy into the rows it gathered', async () => {
    // x [2, 3, 2]; per batch entry gather rows along axis 1: entry 0 takes [2, 0, 2], entry 1 takes [1, 1, 0]
    const x = Array.from({ length: 12 }, (_, i) => i / 10);
    const idx = [
      [2, 0, 2],
      [1, 1, 0],
    ];
    const wv = Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
    const ref = (p: number[]) => {
      let s = 0;
      for (let b = 0; b < 2; b++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) s += wv[(b * 3 + j) * 2 + k] * p[(b * 3 + idx[b][j]) * 2 + k];
      return s;
    };
    const wt = tf.tensor3d(wv, [2, 3, 2]);
    const indices = tf.tensor2d(idx.flat(), [2, 3], 'int32');
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(wt, tf.gather(t, indices, 1, 1))))(tf.tensor3d(x, [2, 3, 2]));
    expectClose(await g.data(), numericGrad(ref, x));
  });
});

describe('stridedSlice gradient (Nutshell addition: tfjs 4.22 has none)', () => {
  const shape = [2, 3, 4];
  const xs = Array.from({ length: 24 }, (_, i) => Math.sin(i + 0.3));
  /** Each slice with the flat indices of x (x[a][b][c] at 12a + 4b + c) it takes, in output order. */
  const cases: { name: string; run: (t: tf.Tensor) => tf.Tensor; taken: number[] }[] = [
    {
      name: 'x[:, 1, ::2]',
      run: (t) => tf.stridedSlice(t, [0, 1, 0], [2, 2, 4], [1, 1, 2], 0, 0, 0, 0, 0b010),
      taken: [4, 6, 16, 18],
    },
    {
      name: 'x[-1, ::-2, 1:]',
      run: (t) => tf.stridedSlice(t, [-1, 0, 1], [0, 0, 4], [1, -2, 1], 0b010, 0b010, 0, 0, 0b001),
      taken: [21, 22, 23, 13, 14, 15],
    },
    {
      name: 'x[:, 2:0:-1, 3:0:-3]',
      run: (t) => tf.stridedSlice(t, [0, 2, 3], [2, 0, 0], [1, -1, -3]),
      taken: [11, 7, 23, 19],
    },
    { name: 'x[..., None, 1::2]', run: (t) => tf.stridedSlice(t, [0, 0, 1], [0, 0, 4], [1, 1, 2], 0, 0, 0b001, 0b010, 0), taken: [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23] },
  ];
  for (const c of cases) {
    it(`${c.name}: the forward takes the listed elements and the gradient of Σ v·slice is v scattered back`, async () => {
      const v = c.taken.map((_, i) => i + 1);
      const y = c.run(tf.tensor(xs, shape));
      expectClose(await y.data(), c.taken.map((i) => xs[i]));
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reshape(c.run(t), [-1]), tf.tensor1d(v))))(tf.tensor(xs, shape));
      const expected = new Array<number>(24).fill(0);
      c.taken.forEach((i, k) => (expected[i] += v[k]));
      expect(g.shape).toEqual(shape);
      expect(Array.from(await g.data())).toEqual(expected);
    });
  }
});
