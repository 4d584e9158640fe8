import { Rng, ShapeError, read, tf, type Tensor } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { CONV_ALGORITHMS, ConvArgumentError, UnsupportedAlgorithmError, conv1d, conv2d, conv2dGeometry, convolve2d, correlate2d } from './index.js';
import type { Conv2DOptions } from './index.js';
import { checkAgainstReference, checkFiniteDifferences, randomCases, winogradCases } from './test-utils/checks.js';
import { randomArray, referenceConv2d, relativeError, toTensor } from './test-utils/reference.js';

/** Exact for direct and im2col; FFT and Winograd round (float32), hence a tolerance of 1e-5 relative. */
async function expectValues(t: Tensor, expected: number[]): Promise<void> {
  const got = Array.from(await read(t));
  t.dispose();
  expect(got.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs), 1);
  got.forEach((v, i) => expect(Math.abs(v - expected[i]), `index ${i}: ${v} vs ${expected[i]}`).toBeLessThan(1e-5 * scale));
}

describe('conv2d: values', () => {
  it('computes a hand-worked cross-correlation (valid, same, stride 2, dilation 2)', async () => {
    // x = 1..16 in a 4×4 image, kernel [[1, 0], [0, −1]] (top-left minus bottom-right): every valid output is −5.
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
    const w = tf.tensor4d([1, 0, 0, -1], [2, 2, 1, 1]);
    for (const algorithm of CONV_ALGORITHMS.filter((a) => a !== 'winograd')) {
      await expectValues(conv2d(x, w, { algorithm }), Array(9).fill(-5));
      // 'same' pads one row at the bottom and one column at the right (TensorFlow's rule): last row/col see zeros.
      await expectValues(conv2d(x, w, { padding: 'same', algorithm }), [-5, -5, -5, 4, -5, -5, -5, 8, -5, -5, -5, 12, 13, 14, 15, 16]);
      await expectValues(conv2d(x, w, { strides: 2, algorithm }), [-5, -5, -5, -5]);
      // Dilation 2: taps at (0,0) and (2,2): x[i][j] − x[i+2][j+2] = −10.
      await expectValues(conv2d(x, w, { dilations: 2, algorithm }), [-10, -10, -10, -10]);
    }
  });

  it('groups: each group of filters sees only its own input channels', async () => {
    // Two channels, groups 2, one 1×1 filter per group with weight 10 and 100.
    const x = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]); // pixel 0: (1, 2), pixel 1: (3, 4)
    const w = tf.tensor4d([10, 100], [1, 1, 1, 2]);
    for (const algorithm of CONV_ALGORITHMS) {
      if (algorithm === 'winograd') continue;
      await expectValues(conv2d(x, w, { groups: 2, algorithm }), [10, 200, 30, 400]);
    }
  });

  const cases = randomCases(24, 2024);
  for (const algorithm of CONV_ALGORITHMS) {
    it(`${algorithm} agrees with a float64 loop reference within 1e-4 relative, forward and gradients`, async () => {
      const checked = await checkAgainstReference(algorithm, algorithm === 'winograd' ? winogradCases : [...cases, ...winogradCases]);
      expect(checked).toBeGreaterThanOrEqual(4);
    });
    it(`${algorithm}: gradient matches central finite differences of the op itself`, async () => {
      const c = algorithm === 'winograd' ? winogradCases[0] : { x: [1, 6, 7, 2], w: [3, 2, 2, 3], opts: { strides: 2, padding: 'same' } as Conv2DOptions };
      const rng = new Rng(11);
      const x = toTensor(randomArray(c.x.reduce((a, b) => a * b), rng), c.x);
      const w = toTensor(randomArray(c.w.reduce((a, b) => a * b), rng), c.w);
      const y0 = conv2d(x, w, c.opts);
      const r = toTensor(randomArray(y0.size, rng), y0.shape);
      y0.dispose();
      // The loss is linear in x and in w, so a large step has no truncation error.
      const loss = (a: Tensor, b: Tensor) => tf.sum(tf.mul(conv2d(a, b, { ...c.opts, algorithm }), r));
      await checkFiniteDifferences(loss, [x, w], { eps: 0.25, samples: 6, tolerance: 2e-3, seed: 12, label: algorithm });
      tf.dispose([x, w, r]);
    });
  }

  it('conv1d is a 2-D convolution of height 1, with its own padding rule', async () => {
    const x = tf.tensor3d([1, 2, 3, 4, 5], [1, 5, 1]);
    const w = tf.tensor3d([1, 0, -1], [3, 1, 1]);
    for (const algorithm of ['direct', 'im2col', 'fft'] as const) {
      await expectValues(conv1d(x, w, { algorithm }), [-2, -2, -2]);
      await expectValues(conv1d(x, w, { padding: 'same', algorithm }), [-2, -2, -2, -2, 4]);
      await expectValues(conv1d(x, w, { stride: 2, padding: [1, 1], algorithm }), [-2, -2, 4]);
      await expectValues(conv1d(x, w, { dilation: 2, algorithm }), [-4]);
    }
  });
});

describe('other ops: gradients against central finite differences', () => {
  it('conv1d (every algorithm that applies), correlate2d and convolve2d', async () => {
    const rng = new Rng(21);
    const x = toTensor(randomArray(2 * 9 * 2, rng), [2, 9, 2]);
    const w = toTensor(randomArray(3 * 2 * 3, rng), [3, 2, 3]);
    for (const algorithm of ['direct', 'im2col', 'fft'] as const) {
      const loss = (a: Tensor, b: Tensor) => tf.sum(tf.square(conv1d(a, b, { padding: 'same', stride: 2, algorithm })));
      await checkFiniteDifferences(loss, [x, w], { eps: 1e-2, samples: 6, tolerance: 1e-2, seed: 22, label: `conv1d ${algorithm}` });
    }
    const img = toTensor(randomArray(7 * 6 * 2, rng), [7, 6, 2]);
    const k = toTensor(randomArray(9, rng), [3, 3]);
    for (const op of [correlate2d, convolve2d]) {
      const loss = (a: Tensor, b: Tensor) => tf.sum(tf.square(op(a, b, { padding: 'same' })));
      await checkFiniteDifferences(loss, [img, k], { eps: 1e-2, samples: 6, tolerance: 1e-2, seed: 23, label: op.name });
    }
    tf.dispose([x, w, img, k]);
  });
});

describe('conv2d: bad input is a typed error with the shapes', () => {
  const x = tf.zeros([1, 5, 5, 3]);
  const w = tf.zeros([3, 3, 3, 4]);
  it('kernel larger than the padded input', () => {
    expect(() => conv2d(x, tf.zeros([7, 3, 3, 2]))).toThrow(ShapeError);
    expect(() => conv2d(x, tf.zeros([7, 3, 3, 2]))).toThrow(/conv2d: .*\[1, 5, 5, 3\].*kernel \[7, 3, 3, 2\].*larger than the padded input 5×5/);
    expect(() => conv2d(x, w, { dilations: 3 })).toThrow(/spans 7×7, larger than the padded input 5×5/);
    expect(() => conv2d(x, tf.zeros([7, 3, 3, 2]), { padding: [[1, 1], [0, 0]] })).not.toThrow();
  });
  it('channel mismatch between input and kernel', () => {
    expect(() => conv2d(x, tf.zeros([3, 3, 2, 4]))).toThrow(ShapeError);
    expect(() => conv2d(x, tf.zeros([3, 3, 2, 4]))).toThrow('conv2d: expected shape [3, 3, 3, 4], got [3, 3, 2, 4] (kernel for an input with 3 channels in 1 group(s); input shape [1, 5, 5, 3]).');
    expect(() => conv1d(tf.zeros([1, 8, 2]), tf.zeros([3, 3, 1]))).toThrow(/conv1d: expected shape \[3, 2, 1\], got \[3, 3, 1\]/);
    expect(() => conv2d(tf.zeros([5, 5, 3]), w)).toThrow(/rank 4/);
  });
  it('stride or dilation < 1', () => {
    expect(() => conv2d(x, w, { strides: 0 })).toThrow(ConvArgumentError);
    expect(() => conv2d(x, w, { strides: [1, 0] })).toThrow('conv2d: strides must be a positive integer or a pair of positive integers, got [1,0].');
    expect(() => conv2d(x, w, { dilations: 0 })).toThrow(/conv2d: dilations must be/);
    expect(() => conv2d(x, w, { strides: 1.5 })).toThrow(ConvArgumentError);
    expect(() => conv1d(tf.zeros([1, 8, 2]), tf.zeros([3, 2, 1]), { stride: 0 })).toThrow(/conv1d: stride must be a positive integer, got 0/);
  });
  it('groups not dividing the channels', () => {
    expect(() => conv2d(x, tf.zeros([3, 3, 1, 4]), { groups: 2 })).toThrow(ConvArgumentError);
    expect(() => conv2d(x, tf.zeros([3, 3, 1, 4]), { groups: 2 })).toThrow(
      'conv2d: groups must be a divisor of both the input channels (3) and the output channels (4), got 2.',
    );
    expect(() => conv2d(x, tf.zeros([3, 3, 1, 4]), { groups: 3 })).toThrow(/output channels \(4\)/);
    expect(() => conv2d(x, tf.zeros([3, 3, 1, 6]), { groups: 0 })).toThrow(/groups must be a positive integer/);
  });
  it('Winograd on anything but a 3×3 kernel at stride 1', () => {
    expect(() => conv2d(x, tf.zeros([5, 5, 3, 4]), { algorithm: 'winograd' })).toThrow(UnsupportedAlgorithmError);
    expect(() => conv2d(x, tf.zeros([5, 5, 3, 4]), { algorithm: 'winograd' })).toThrow(
      /algorithm 'winograd' cannot compute input \[1, 5, 5, 3\] with kernel \[5, 5, 3, 4\]: it needs a 3×3 kernel with stride 1.*got kernel 5×5/,
    );
    expect(() => conv2d(x, w, { algorithm: 'winograd', strides: 2 })).toThrow(/strides \[2, 2\]/);
  });
  it('unknown algorithm and padding names', () => {
    expect(() => conv2d(x, w, { algorithm: 'fast' as never })).toThrow(/algorithm must be one of 'direct', 'im2col', 'fft', 'winograd', 'auto'/);
    expect(() => conv2d(x, w, { padding: 'full' as never })).toThrow(/padding must be/);
  });
});

describe('fft: both Fourier transforms', () => {
  it("the backend's FFT kernels and the DFT matrices give the same values and gradients", async () => {
    const rng = new Rng(5);
    const c = { x: [1, 6, 5, 2], w: [3, 2, 2, 3], opts: { padding: 'same', strides: [1, 2] } as Conv2DOptions };
    const g = conv2dGeometry('t', c.x, c.w, c.opts);
    const xv = randomArray(60, rng);
    const wv = randomArray(36, rng);
    const rv = randomArray(g.outHeight * g.outWidth * 3, rng);
    const ref = referenceConv2d(xv, wv, g, rv);
    const [x, w] = [toTensor(xv, c.x), toTensor(wv, c.w)];
    const r = toTensor(rv, [1, g.outHeight, g.outWidth, 3]);
    for (const fftTransform of ['backend', 'dft'] as const) {
      const opts = { ...c.opts, algorithm: 'fft' as const, fftTransform };
      const y = conv2d(x, w, opts);
      const [dx, dw] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(conv2d(a, b, opts), r)))([x, w]);
      expect(relativeError(await read(y), ref.y)).toBeLessThan(1e-4);
      expect(relativeError(await read(dx), ref.dx)).toBeLessThan(1e-4);
      expect(relativeError(await read(dw), ref.dw)).toBeLessThan(1e-4);
      tf.dispose([y, dx, dw]);
    }
    tf.dispose([x, w, r]);
  });
});
