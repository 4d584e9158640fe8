import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import '../index.js';

// One tensor's data used as weights in two shapes (a reshape shares the data): tfjs-backend-wasm 4.22 cached the
// XNNPACK operator packed for the first shape under the tensor id and reused it for the second.

let seed = 7;
/** Deterministic values in [-1, 1) (a small LCG: this package does not depend on @nutshell/tensor's Rng). */
const values = (n: number) =>
  Float32Array.from({ length: n }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 31 - 1;
  });
const W = values(216);
const X = values(4 * 27);
const Y = values(5 * 9);
const BIAS24 = values(24);
const IMG = values(2 * 5 * 5 * 4);

/** Runs `f` on a backend with fresh tensors made by `f`, and returns its outputs' values. */
async function on(backend: 'wasm' | 'cpu', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await useBackend(backend);
  const outs = f();
  const read = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outs);
  return read;
}

/** Each output of `f` on wasm agrees with the CPU backend's to 1e-5 (and holds no NaN). */
async function expectSameAsCpu(f: () => tf.Tensor[]): Promise<void> {
  const cpu = await on('cpu', () => tf.tidy(f));
  const wasm = await on('wasm', () => tf.tidy(f));
  expect(wasm.length).toBe(cpu.length);
  wasm.forEach((w, i) => {
    expect(w.length).toBe(cpu[i].length);
    w.forEach((v, j) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v - cpu[i][j])).toBeLessThan(1e-5);
    });
  });
}

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

describe('matrix products whose weights reuse another tensor’s data in another shape', () => {
  it('matMul by w [27, 8], then by reshape(w, [9, 24]), then by w again', async () => {
    await expectSameAsCpu(() => {
      const w = tf.tensor2d(W.subarray(0, 216), [27, 8]);
      const first = tf.matMul(tf.tensor2d(X, [4, 27]), w);
      const second = tf.matMul(tf.tensor2d(Y, [5, 9]), tf.reshape(w, [9, 24]));
      const third = tf.matMul(tf.tensor2d(X, [4, 27]), w);
      return [first, second, third];
    });
  });

  it('the reshaped use first, then the original shape', async () => {
    await expectSameAsCpu(() => {
      const w = tf.tensor2d(W, [27, 8]);
      const wide = tf.matMul(tf.tensor2d(Y, [5, 9]), tf.reshape(w, [9, 24]));
      return [wide, tf.matMul(tf.tensor2d(X, [4, 27]), w)];
    });
  });

  it('fused matMul (relu, leakyRelu, bias) with the same data in two shapes', async () => {
    // tfjs's cache key is (weights id, bias id, clamp): relu after relu collides, and leakyRelu clamps as linear,
    // so it collides with a plain matMul. A bias cannot collide (its length fixes the weights' shape).
    await expectSameAsCpu(() => {
      const w = tf.tensor2d(W, [27, 8]);
      const wide = tf.reshape(w, [9, 24]) as tf.Tensor2D;
      const x = tf.tensor2d(X, [4, 27]);
      const y = tf.tensor2d(Y, [5, 9]);
      const relu = tf.fused.matMul({ a: x, b: w, activation: 'relu' });
      const reluWide = tf.fused.matMul({ a: y, b: wide, activation: 'relu' });
      const plain = tf.matMul(x, w);
      const leakyWide = tf.fused.matMul({ a: y, b: wide, activation: 'leakyrelu', leakyreluAlpha: 0.1 });
      const biasWide = tf.fused.matMul({ a: y, b: wide, bias: tf.tensor1d(BIAS24), activation: 'relu' });
      return [relu, reluWide, plain, leakyWide, biasWide];
    });
  });

  it('conv2d and depthwiseConv2d with reshaped filters, and the filter as a matrix', async () => {
    // tfjs's convolution cache key includes the filter's full shape; checked here so it stays that way.
    await expectSameAsCpu(() => {
      const x = tf.tensor4d(IMG, [2, 5, 5, 4]);
      const w = tf.tensor4d(W.subarray(0, 144), [3, 3, 4, 4]);
      const a = tf.conv2d(x, w, 1, 'same');
      const x8 = tf.tensor4d(IMG, [2, 5, 10, 2]);
      const b = tf.conv2d(x8, tf.reshape(w, [3, 3, 2, 8]) as tf.Tensor4D, 1, 'valid');
      const c = tf.fused.conv2d({ x: x8, filter: tf.reshape(w, [3, 3, 2, 8]) as tf.Tensor4D, strides: 1, pad: 'same', activation: 'relu' });
      const d = tf.depthwiseConv2d(x, tf.reshape(w, [3, 3, 4, 4]) as tf.Tensor4D, 1, 'same');
      const e = tf.depthwiseConv2d(x8, tf.reshape(w, [3, 3, 2, 8]) as tf.Tensor4D, 1, 'same');
      const f = tf.matMul(tf.reshape(x, [50, 4]), tf.reshape(w, [4, 36]));
      return [a, b, c, d, e, f];
    });
  });

  it('leaks no tensors and no heap buffers (the copies are freed)', async () => {
    const w = tf.tensor2d(W, [27, 8]);
    const x = tf.tensor2d(X, [4, 27]);
    const y = tf.tensor2d(Y, [5, 9]);
    const bias = tf.tensor1d([0.5]);
    const step = () =>
      tf.tidy(() => [
        tf.matMul(x, w),
        tf.matMul(y, tf.reshape(w, [9, 24])),
        tf.fused.matMul({ a: x, b: w, bias }),
        tf.fused.matMul({ a: y, b: tf.reshape(w, [24, 9]), bias: tf.tensor1d(BIAS24), transposeB: true }),
      ]);
    tf.dispose(step());
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 5; i++) tf.dispose(step());
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    tf.dispose([w, x, y, bias]);
  });
});

describe('fused matMul biases', () => {
  // tfjs's loop for transposed and batched products gave every row after the first the last bias value, and its
  // XNNPACK path read a length-1 bias as if it had one value per column.
  it('a bias per column with transposes and batches', async () => {
    await expectSameAsCpu(() => {
      const a = tf.tensor2d(X.subarray(0, 12), [3, 4]);
      const b = tf.tensor2d(W.subarray(0, 20), [5, 4]);
      const bias = tf.tensor1d(BIAS24.subarray(0, 5));
      const a3 = tf.tensor3d(X.subarray(0, 24), [2, 3, 4]);
      const b3 = tf.tensor3d(W.subarray(0, 40), [2, 4, 5]);
      return [
        tf.fused.matMul({ a, b, bias, transposeB: true }),
        tf.fused.matMul({ a: tf.transpose(a), b, bias, transposeA: true, transposeB: true, activation: 'relu' }),
        tf.fused.matMul({ a: a3, b: b3, bias }),
        tf.fused.matMul({ a: a3, b: tf.slice(b3, [0, 0, 0], [1, 4, 5]), bias, activation: 'relu6' }),
      ];
    });
  });

  it('a one-value bias on both paths', async () => {
    await expectSameAsCpu(() => {
      const a = tf.tensor2d(X.subarray(0, 12), [3, 4]);
      const b = tf.tensor2d(W.subarray(0, 20), [4, 5]);
      const bias = tf.tensor1d([0.75]);
      return [tf.fused.matMul({ a, b, bias }), tf.fused.matMul({ a, b: tf.transpose(b), bias, transposeB: true })];
    });
  });
});
