import { ShapeError, read, tf, type Tensor } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import {
  boxBlur,
  convolve2d,
  correlate2d,
  edgeMagnitude,
  emboss,
  gaussian,
  laplacian,
  prewittX,
  prewittY,
  scharrX,
  sharpen,
  sobelX,
  sobelY,
} from './index.js';

async function values(t: Tensor): Promise<number[]> {
  const v = Array.from(await read(t));
  t.dispose();
  return v;
}

describe('correlate2d and convolve2d', () => {
  // An impulse shows the difference: correlation paints the kernel rotated 180°, convolution paints it upright.
  const impulse = tf.tensor2d([
    [0, 0, 0],
    [0, 1, 0],
    [0, 0, 0],
  ]);
  const k = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ];
  it('convolution of an impulse reproduces the kernel; correlation reproduces it flipped', async () => {
    expect(await values(convolve2d(impulse, k, { padding: 'same' }))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await values(correlate2d(impulse, k, { padding: 'same' }))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });
  it('keeps the image rank and filters every channel on its own', async () => {
    const img = tf.tensor3d([1, 10, 2, 20, 3, 30, 4, 40], [2, 2, 2]);
    const y = correlate2d(img, [[1, 1]], { padding: 'valid' });
    expect(y.shape).toEqual([2, 1, 2]);
    expect(await values(y)).toEqual([3, 30, 7, 70]);
    const batch = correlate2d(tf.ones([3, 4, 4, 1]), boxBlur(3));
    expect(batch.shape).toEqual([3, 2, 2, 1]);
    (await values(batch)).forEach((v) => expect(v).toBeCloseTo(1, 6));
  });
  it('a symmetric kernel gives the same result both ways; Sobel changes sign', async () => {
    const img = tf.tensor2d([
      [1, 2, 4, 7],
      [0, 3, 1, 5],
      [2, 2, 6, 1],
      [4, 0, 3, 3],
    ]);
    expect(await values(correlate2d(img, laplacian()))).toEqual(await values(convolve2d(img, laplacian())));
    const a = await values(correlate2d(img, sobelX()));
    const b = await values(convolve2d(img, sobelX()));
    expect(b).toEqual(a.map((v) => -v));
  });
  it('rejects bad images and kernels with their shapes', () => {
    expect(() => correlate2d(tf.zeros([5]), sobelX())).toThrow(ShapeError);
    expect(() => correlate2d(tf.zeros([4, 4]), [[1, 2], [3]])).toThrow(/correlate2d: .*rectangular/);
    expect(() => correlate2d(tf.zeros([2, 2]), sobelX())).toThrow(/correlate2d: .*larger than the padded input 2×2/);
  });
});

describe('classic kernels', () => {
  it('have the textbook weights and sums', () => {
    expect(sobelY()).toEqual([
      [-1, -2, -1],
      [0, 0, 0],
      [1, 2, 1],
    ]);
    expect(prewittY()[2]).toEqual([1, 1, 1]);
    expect(scharrX()[1]).toEqual([-10, 0, 10]);
    expect(laplacian(8).flat().reduce((s, v) => s + v)).toBe(0);
    expect(sharpen().flat().reduce((s, v) => s + v)).toBe(1);
    expect(emboss().flat().reduce((s, v) => s + v)).toBe(1);
    for (const k of [sobelX(), sobelY(), prewittX(), prewittY(), scharrX(), laplacian()]) {
      expect(k.flat().reduce((s, v) => s + v)).toBe(0); // derivatives: zero on a flat image
    }
  });
  it('gaussian is normalised, symmetric, peaked in the middle, and sized to ±3σ', () => {
    const g = gaussian(1);
    expect(g.length).toBe(7);
    expect(g.flat().reduce((s, v) => s + v)).toBeCloseTo(1, 12);
    expect(g[3][3]).toBe(Math.max(...g.flat()));
    expect(g[0][1]).toBeCloseTo(g[1][0], 15);
    // Ratio of neighbours along an axis: exp(−(1² − 0²)/2) at σ = 1.
    expect(g[3][4] / g[3][3]).toBeCloseTo(Math.exp(-0.5), 12);
    expect(gaussian(2, 5).length).toBe(5);
    expect(() => gaussian(0)).toThrow(/sigma must be a positive number/);
  });
});

describe('edge detection', () => {
  it('Sobel is strong on a step edge, zero on a flat image, and points the right way', async () => {
    // Left half 0, right half 1: a vertical edge between columns 3 and 4.
    const step = tf.tensor2d(Array.from({ length: 64 }, (_, i) => (i % 8 >= 4 ? 1 : 0)), [8, 8]);
    const gx = await values(correlate2d(step, sobelX()));
    const gy = await values(correlate2d(step, sobelY()));
    // Valid output is 6×6; columns 2 and 3 straddle the edge (1 + 2 + 1 = 4), the rest see nothing.
    for (let i = 0; i < 6; i++) expect(gx.slice(i * 6, i * 6 + 6)).toEqual([0, 0, 4, 4, 0, 0]);
    expect(gy.every((v) => v === 0)).toBe(true);
    const flat = await values(edgeMagnitude(tf.fill([8, 8], 0.7)));
    // Interior of a flat image: no edge (the border sees the zero padding).
    for (let i = 1; i < 7; i++) for (let j = 1; j < 7; j++) expect(Math.abs(flat[i * 8 + j])).toBeLessThan(1e-6);
    const mag = await values(edgeMagnitude(step, { padding: 'valid', operator: 'scharr' }));
    expect(mag.slice(0, 6)).toEqual([0, 0, 16, 16, 0, 0]);
  });
});
