import { describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs-core';
import { tf } from './tfjs.js';
import {
  SOFTMAX_CROSS_ENTROPY,
  expNonPositive,
  runSoftmaxCrossEntropy,
  softmaxCrossEntropyGradValues,
  softmaxCrossEntropyValues,
} from './fusedLosses.js';

// Logits of 3 samples × 4 classes, one-hot and soft targets, worked in float64 here.
const Z = [1, 2, 0.5, -1, -3, 0, 3, 0.25, 10, -10, 0, 5];
const ONE_HOT = [0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0];
const SOFT = [0.1, 0.6, 0.3, 0, 0, 0.5, 0.25, 0.25, 1, 0, 0, 0];
const LABELS = [1, 2, 0];

/** −Σ y·log softmax(z) per row, in float64. */
function reference(z: number[], y: number[], classes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < z.length / classes; i++) {
    const row = z.slice(i * classes, (i + 1) * classes);
    const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    out.push(-row.reduce((s, v, k) => s + y[i * classes + k] * (v - lse), 0));
  }
  return out;
}

const f32 = (xs: number[]) => Float32Array.from(xs);

/** The op-by-op loss of `@nutshell/train` (log-softmax, product, sum), as the fused kernel replaces it. */
const unfused = (y: Tensor, z: Tensor) => tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(z)), -1));

describe('fused softmax cross-entropy (@nutshell/backend, cpu kernels)', () => {
  it('per-sample, sum and mean equal the float64 formula for one-hot and soft targets', () => {
    for (const y of [ONE_HOT, SOFT]) {
      const want = reference(Z, y, 4);
      const none = new Float32Array(3);
      softmaxCrossEntropyValues(f32(Z), { values: f32(y), sparse: false }, 4, 'none', none);
      want.forEach((w, i) => expect(Math.abs(none[i] - w)).toBeLessThan(2e-7 * Math.max(1, Math.abs(w))));
      const sum = new Float32Array(1);
      softmaxCrossEntropyValues(f32(Z), { values: f32(y), sparse: false }, 4, 'sum', sum);
      expect(sum[0]).toBeCloseTo(want[0] + want[1] + want[2], 5);
      const mean = new Float32Array(1);
      softmaxCrossEntropyValues(f32(Z), { values: f32(y), sparse: false }, 4, 'mean', mean);
      expect(mean[0]).toBeCloseTo((want[0] + want[1] + want[2]) / 3, 5);
    }
  });

  it('class indices (int32 or float32) give the one-hot rows’ loss; an index outside the classes is a zero row', () => {
    const want = reference(Z, ONE_HOT, 4);
    for (const values of [Int32Array.from(LABELS), f32(LABELS)]) {
      const out = new Float32Array(3);
      softmaxCrossEntropyValues(f32(Z), { values, sparse: true }, 4, 'none', out);
      want.forEach((w, i) => expect(out[i]).toBeCloseTo(w, 6));
    }
    const out = new Float32Array(3);
    softmaxCrossEntropyValues(f32(Z), { values: Int32Array.from([4, -1, 0]), sparse: true }, 4, 'none', out);
    expect(Array.from(out.subarray(0, 2))).toEqual([0, 0]);
  });

  it('the gradient equals central differences of the float64 loss (soft targets, mean, dy = 2)', () => {
    const grad = new Float32Array(12);
    softmaxCrossEntropyGradValues(f32(Z), { values: f32(SOFT), sparse: false }, f32([2]), 4, 'mean', grad);
    const mean = (z: number[]) => reference(z, SOFT, 4).reduce((s, v) => s + v, 0) / 3;
    const h = 1e-6;
    for (let j = 0; j < 12; j++) {
      const plus = Z.slice();
      const minus = Z.slice();
      plus[j] += h;
      minus[j] -= h;
      const fd = (2 * (mean(plus) - mean(minus))) / (2 * h);
      expect(Math.abs(grad[j] - fd)).toBeLessThan(1e-6);
    }
  });

  it('per-sample dy scales each row: s·(softmax·Σy − y)', () => {
    const grad = new Float32Array(12);
    softmaxCrossEntropyGradValues(
      f32(Z),
      { values: Int32Array.from(LABELS), sparse: true },
      f32([1, 0, -3]),
      4,
      'none',
      grad,
    );
    const row0 = Z.slice(0, 4).map(Math.exp);
    const s0 = row0.reduce((a, b) => a + b, 0);
    row0.forEach((e, k) => expect(grad[k]).toBeCloseTo(e / s0 - (k === 1 ? 1 : 0), 6));
    expect(Array.from(grad.subarray(4, 8)).map(Math.abs)).toEqual([0, 0, 0, 0]); // dy = 0
    expect(grad[8]).toBeCloseTo(
      -3 * (Math.exp(10) / (Math.exp(10) + Math.exp(-10) + 1 + Math.exp(5)) - 1),
      5,
    );
  });

  it('through the engine: the fused loss and its gradient equal the op-by-op ones to float32 rounding', () => {
    const before = tf.memory().numTensors;
    const z = tf.tensor2d(Z, [3, 4]);
    for (const y of [tf.tensor2d(SOFT, [3, 4]), tf.tensor1d(LABELS, 'int32')]) {
      const dense = y.rank === 2 ? y : tf.oneHot(y, 4, 1, 0, 'float32');
      for (const reduction of ['none', 'sum', 'mean'] as const) {
        const ops = (x: Tensor) => {
          const l = unfused(dense, x);
          return reduction === 'none' ? l : reduction === 'sum' ? tf.sum(l) : tf.div(tf.sum(l), 3);
        };
        const fused = (x: Tensor) => runSoftmaxCrossEntropy(x, y, reduction)!;
        tf.tidy(() => {
          const [a, b] = [fused, ops].map((f) => tf.valueAndGrad((x: Tensor) => f(x))(z));
          const diff = (p: Tensor, q: Tensor) => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0];
          expect(diff(a.value, b.value)).toBeLessThan(2e-6);
          expect(diff(a.grad, b.grad)).toBeLessThan(2e-7);
        });
      }
      if (dense !== y) dense.dispose();
      y.dispose();
    }
    z.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('soft targets are differentiable: d/dy = −log softmax(z)·s', () => {
    const z = tf.tensor2d(Z, [3, 4]);
    const y = tf.tensor2d(SOFT, [3, 4]);
    const dy = tf.grad((t: Tensor) => runSoftmaxCrossEntropy(z, t, 'sum')!)(y);
    const want = tf.neg(tf.logSoftmax(z));
    expect(tf.max(tf.abs(tf.sub(dy, want))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([z, y, dy, want]);
  });

  it('NaN and infinities give what the op-by-op loss gives, row by row', () => {
    const z = tf.tensor2d(
      [NaN, 0, 1, Infinity, 0, 1, -Infinity, 0, 1, -Infinity, -Infinity, -Infinity],
      [4, 3],
    );
    for (const y of [
      tf.tensor2d([0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0], [4, 3]),
      tf.tensor2d([1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1], [4, 3]),
    ]) {
      const fused = runSoftmaxCrossEntropy(z, y, 'none')!;
      const ops = unfused(y, z);
      expect(Array.from(fused.dataSync())).toEqual(Array.from(ops.dataSync()));
      const g = tf.grad((x: Tensor) => runSoftmaxCrossEntropy(x, y, 'sum')!)(z);
      const gOps = tf.grad((x: Tensor) => tf.sum(unfused(y, x)))(z);
      const nan = (t: Tensor) => Array.from(t.dataSync()).map(Number.isNaN);
      expect(nan(g)).toEqual(nan(gOps));
      tf.dispose([y, fused, ops, g, gOps]);
    }
    z.dispose();
  });

  it('returns undefined (the caller runs ops) for shapes or dtypes it does not take, or a backend without it', () => {
    tf.tidy(() => {
      const z = tf.zeros([2, 4]);
      expect(runSoftmaxCrossEntropy(tf.zeros([2, 3, 4]), tf.zeros([2, 3, 4]), 'none')).toBeUndefined();
      expect(runSoftmaxCrossEntropy(tf.zeros([2, 4], 'int32'), tf.zeros([2, 4]), 'none')).toBeUndefined();
      expect(runSoftmaxCrossEntropy(z, tf.zeros([2, 3]), 'none')).toBeUndefined();
      expect(runSoftmaxCrossEntropy(z, tf.zeros([3], 'int32'), 'none')).toBeUndefined();
      expect(runSoftmaxCrossEntropy(z, tf.zeros([2, 4], 'int32'), 'none')).toBeUndefined();
      expect(runSoftmaxCrossEntropy(tf.zeros([0, 4]), tf.zeros([0, 4]), 'none')).toBeUndefined();
      const config = tf.getKernel(SOFTMAX_CROSS_ENTROPY, 'cpu')!;
      tf.unregisterKernel(SOFTMAX_CROSS_ENTROPY, 'cpu');
      try {
        expect(runSoftmaxCrossEntropy(z, tf.zeros([2, 4]), 'none')).toBeUndefined();
      } finally {
        tf.registerKernel(config);
      }
      expect(runSoftmaxCrossEntropy(z, tf.zeros([2, 4]), 'none')?.shape).toEqual([2]);
    });
  });

  it('its exp is within 5·10⁻¹⁶ of Math.exp on [−708.39, 0]: 1 at 0, 0 below, NaN for NaN', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      // An even grid over the whole range, and a fine one near 0 (where softmax values live).
      for (const x of [-708.39 * (i / 200_000), -8 * (i / 200_000)]) {
        const want = Math.exp(x);
        worst = Math.max(worst, Math.abs(expNonPositive(x) - want) / want);
      }
    }
    expect(worst).toBeLessThan(5e-16);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-708.4)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(NaN)).toBeNaN();
  });

  /** ULPs of float32 between `got` and the float64 value `want`. */
  const ulps32 = (got: number, want: number) => {
    const w = Math.fround(want);
    if (Object.is(got, w)) return 0;
    const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(w), 2 ** -126))) - 23);
    return Math.abs(got - want) / ulp;
  };

  it.each([
    [64, 10],
    [1, 1],
    [1, 3],
    [7, 5],
    [3, 13],
  ])(
    'batch %i × %i classes, dense and sparse targets: loss and gradient within a float32 rounding of a float64 Math.exp reference',
    (batch, classes) => {
      // Logits spread over ±12 (one row far below the others), one-hot and soft rows, class indices.
      let seed = batch * 31 + classes;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
      const z = Array.from({ length: batch * classes }, (_, i) => (i < classes ? 30 : 12) * rand());
      const idx = Array.from({ length: batch }, (_, i) => (i * 7) % classes);
      const oneHot = z.map((_, i) => (idx[Math.floor(i / classes)] === i % classes ? 1 : 0));
      const soft = z.map(() => Math.abs(rand()));
      for (const [y, labels] of [
        [oneHot, { values: Int32Array.from(idx), sparse: true }],
        [oneHot, { values: f32(oneHot), sparse: false }],
        [soft, { values: f32(soft), sparse: false }],
      ] as const) {
        // The references take the float32 inputs, as the kernels see them.
        const zf = Array.from(f32(z));
        const yf = Array.from(f32(y));
        const want = reference(zf, yf, classes);
        const none = new Float32Array(batch);
        softmaxCrossEntropyValues(f32(z), labels, classes, 'none', none);
        want.forEach((w, i) => expect(ulps32(none[i], w)).toBeLessThanOrEqual(0.5 + 1e-6));
        const mean = new Float32Array(1);
        softmaxCrossEntropyValues(f32(z), labels, classes, 'mean', mean);
        expect(ulps32(mean[0], want.reduce((p, q) => p + q, 0) / batch)).toBeLessThanOrEqual(0.5 + 1e-6);
        // Gradient of the mean, dy = 1: (softmax·Σy − y)/batch per row.
        const grad = new Float32Array(batch * classes);
        softmaxCrossEntropyGradValues(f32(z), labels, f32([1]), classes, 'mean', grad);
        for (let i = 0; i < batch; i++) {
          const row = zf.slice(i * classes, (i + 1) * classes);
          const max = Math.max(...row);
          const e = row.map((v) => Math.exp(v - max));
          const sum = e.reduce((p, q) => p + q, 0);
          const ySum = yf.slice(i * classes, (i + 1) * classes).reduce((p, q) => p + q, 0);
          for (let k = 0; k < classes; k++) {
            const g = ((e[k] / sum) * ySum - yf[i * classes + k]) / batch;
            expect(ulps32(grad[i * classes + k], g)).toBeLessThanOrEqual(0.5 + 1e-6);
          }
        }
      }
    },
  );
});
