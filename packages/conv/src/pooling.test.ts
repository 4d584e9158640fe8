import { Rng, ShapeError, numTensors, permutation, read, tf, type Tensor } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import {
  ConvArgumentError,
  avgPool1d,
  avgPool2d,
  globalAvgPool1d,
  globalAvgPool2d,
  globalMaxPool1d,
  globalMaxPool2d,
  l2Pool1d,
  l2Pool2d,
  maxPool1d,
  maxPool2d,
} from './index.js';

async function values(t: Tensor): Promise<number[]> {
  const v = Array.from(await read(t));
  t.dispose();
  return v;
}

describe('pooling: values', () => {
  // 4×4 image 1..16, one channel.
  const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
  it('max, average and L2 over 2×2 windows', async () => {
    expect(await values(maxPool2d(x))).toEqual([6, 8, 14, 16]);
    expect(await values(avgPool2d(x))).toEqual([3.5, 5.5, 11.5, 13.5]);
    const l2 = await values(l2Pool2d(x));
    const expected = [
      [1, 2, 5, 6],
      [3, 4, 7, 8],
      [9, 10, 13, 14],
      [11, 12, 15, 16],
    ].map((w) => Math.sqrt(w.reduce((s, v) => s + v * v, 0)));
    l2.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
  });
  it("overlapping windows, strides, and 'same' padding", async () => {
    expect(await values(maxPool2d(x, { poolSize: 3, strides: 1 }))).toEqual([11, 12, 15, 16]);
    // 'same' with a 3×3 window at stride 2 on 4×4: ceil(4/2) = 2 outputs per axis, pads (0, 1).
    expect(await values(avgPool2d(x, { poolSize: 3, strides: 2, padding: 'same' }))).toEqual([6, 7.5, 12, 13.5]);
    // L2 'same': padded zeros add nothing; bottom-right window holds 11, 12, 15, 16.
    const l2 = await values(l2Pool2d(x, { poolSize: 3, strides: 2, padding: 'same' }));
    expect(l2[3]).toBeCloseTo(Math.sqrt(11 ** 2 + 12 ** 2 + 15 ** 2 + 16 ** 2), 4);
    expect(await values(maxPool2d(x, { poolSize: [1, 4], strides: [1, 4] }))).toEqual([4, 8, 12, 16]);
  });
  it('global max and average, 2-D and 1-D', async () => {
    const two = tf.tensor4d([1, -1, 2, -2, 3, -3, 4, -4], [1, 2, 2, 2]);
    expect(await values(globalMaxPool2d(two))).toEqual([4, -1]);
    expect(await values(globalAvgPool2d(two))).toEqual([2.5, -2.5]);
    const seq = tf.tensor3d([1, 5, 2, 3, 0, 4], [1, 3, 2]);
    expect(await values(globalMaxPool1d(seq))).toEqual([2, 5]);
    expect(await values(globalAvgPool1d(seq))).toEqual([1, 4]);
  });
  it('1-D pooling along the length', async () => {
    const seq = tf.tensor3d([1, 3, 2, 5, 4, 0], [1, 6, 1]);
    expect(await values(maxPool1d(seq))).toEqual([3, 5, 4]);
    expect(await values(avgPool1d(seq, { poolSize: 3 }))).toEqual([2, 3]);
    expect(await values(maxPool1d(seq, { poolSize: 3, strides: 1 }))).toEqual([3, 5, 5, 5]);
    const l2 = await values(l2Pool1d(seq, { poolSize: 2 }));
    expect(l2[1]).toBeCloseTo(Math.sqrt(29), 5);
  });
  it('L2 pooling of an all-zero window has value 0 and gradient 0 (not NaN)', async () => {
    const z = tf.zeros([1, 2, 2, 1]);
    const g = tf.grad((t: Tensor) => tf.sum(l2Pool2d(t)))(z);
    expect(await values(g)).toEqual([0, 0, 0, 0]);
    z.dispose();
  });
});

describe('pooling: gradients against central finite differences', () => {
  // Distinct values (a shuffled grid 0.1 apart) so no max window has a tie within the FD step.
  const shape = [2, 5, 6, 2];
  const n = shape.reduce((a, b) => a * b);
  const perm = permutation(n, { seed: 3 });
  const xv = Float32Array.from(perm, (p) => (p - n / 2) * 0.1);
  const rng = new Rng(9);
  const ops: [string, (t: Tensor) => Tensor][] = [
    ['maxPool2d', (t) => maxPool2d(t, { poolSize: 2, strides: 1 })],
    ['maxPool2d same', (t) => maxPool2d(t, { poolSize: 3, strides: 2, padding: 'same' })],
    ['avgPool2d', (t) => avgPool2d(t, { poolSize: [2, 3] })],
    ['avgPool2d same', (t) => avgPool2d(t, { poolSize: 3, strides: 2, padding: 'same' })],
    ['l2Pool2d', (t) => l2Pool2d(t, { poolSize: 2, strides: 1 })],
    ['l2Pool2d same', (t) => l2Pool2d(t, { poolSize: 3, strides: 2, padding: 'same' })],
    ['globalMaxPool2d', (t) => globalMaxPool2d(t)],
    ['globalAvgPool2d', (t) => globalAvgPool2d(t)],
    ['maxPool1d', (t) => maxPool1d(tf.reshape(t, [2, 30, 2]), { poolSize: 3 })],
    ['avgPool1d', (t) => avgPool1d(tf.reshape(t, [2, 30, 2]), { poolSize: 4, strides: 2 })],
    ['l2Pool1d', (t) => l2Pool1d(tf.reshape(t, [2, 30, 2]), { poolSize: 3 })],
    ['globalMaxPool1d', (t) => globalMaxPool1d(tf.reshape(t, [2, 30, 2]))],
    ['globalAvgPool1d', (t) => globalAvgPool1d(tf.reshape(t, [2, 30, 2]))],
  ];
  for (const [name, op] of ops) {
    it(name, async () => {
      const x = tf.tensor(xv, shape);
      const y0 = op(x);
      const r = tf.tensor(Float32Array.from({ length: y0.size }, () => rng.nextFloat() * 2 - 1), y0.shape);
      y0.dispose();
      const before = numTensors();
      const loss = (t: Tensor) => tf.sum(tf.mul(op(t), r));
      const grad = await values(tf.grad(loss)(x));
      expect(numTensors()).toBe(before);
      const eps = 1e-2;
      for (let k = 0; k < 12; k++) {
        const i = rng.nextInt(n);
        const at = async (d: number) => {
          const v = Float32Array.from(xv);
          v[i] += d;
          const p = tf.tensor(v, shape);
          const out = await values(tf.tidy(() => loss(p)));
          p.dispose();
          return out[0];
        };
        const fd = ((await at(eps)) - (await at(-eps))) / (2 * eps);
        expect(Math.abs(fd - grad[i]), `${name} at ${i}: fd ${fd} vs ${grad[i]}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
      }
      tf.dispose([x, r]);
    });
  }
});

describe('pooling: bad input', () => {
  it('wrong rank, window larger than the input, bad sizes', () => {
    expect(() => maxPool2d(tf.zeros([4, 4, 1]))).toThrow(ShapeError);
    expect(() => maxPool2d(tf.zeros([1, 3, 3, 1]), { poolSize: 4 })).toThrow(
      'maxPool2d: expected shape an input at least 4×4, got [1, 3, 3, 1] (pool window 4×4 is larger than the input).',
    );
    expect(() => avgPool2d(tf.zeros([1, 4, 4, 1]), { strides: 0 })).toThrow(ConvArgumentError);
    expect(() => l2Pool2d(tf.zeros([1, 4, 4, 1]), { poolSize: [2, 0] })).toThrow(/l2Pool2d: poolSize must be/);
    expect(() => maxPool1d(tf.zeros([1, 3, 1]), { poolSize: 4 })).toThrow(/maxPool1d: .*pool window 4 is longer than the input/);
    expect(() => globalAvgPool2d(tf.zeros([2, 3]))).toThrow(/globalAvgPool2d: expected shape rank 4/);
  });
});
