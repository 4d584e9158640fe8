import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, tf, useBackend } from '@nutshell/backend';
import '../index.js';

// tfjs-backend-wasm 4.22 refused every int32 product with a raw tfjs error; tfjs's cpu computes them exactly.

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

describe('int32 matMul on wasm', () => {
  it('is exact past 2^24 (no float32 sum), with transposes, as worked by hand', () => {
    // [[16777217, 1, -2], [3, -4, 7]] · [[1, 3, 5], [-2, 1, 100000]]ᵀ
    const a = tf.tensor2d([16777217, 1, -2, 3, -4, 7], [2, 3], 'int32');
    const b = tf.tensor2d([1, 3, 5, -2, 1, 100000], [2, 3], 'int32');
    const c = tf.matMul(a, b, false, true);
    expect(c.dtype).toBe('int32');
    expect(Array.from(c.dataSync())).toEqual([
      16777217 + 3 - 10,
      -33554434 + 1 - 200000,
      3 - 12 + 35,
      -6 - 4 + 700000,
    ]);
    // aᵀ · a for a batch of two, 3 x 3 each: 16777217² wraps to 2^25 + 1 (as TensorFlow's int32 does).
    const batch = tf.stack([a, a]) as tf.Tensor3D;
    const g = tf.matMul(batch, batch, true, false);
    expect(g.shape).toEqual([2, 3, 3]);
    const first = [
      2 ** 25 + 1 + 9,
      16777217 - 12,
      -33554434 + 21,
      16777217 - 12,
      1 + 16,
      -2 - 28,
      -33554434 + 21,
      -2 - 28,
      4 + 49,
    ];
    expect(Array.from(g.dataSync())).toEqual([...first, ...first]);
  });

  it('wraps modulo 2^32 as TensorFlow does, and gives zeros for an empty inner dimension', () => {
    const big = tf.matMul(
      tf.tensor2d([2147483647, 1], [1, 2], 'int32'),
      tf.tensor2d([1, 1], [2, 1], 'int32'),
    );
    expect(Array.from(big.dataSync())).toEqual([-2147483648]);
    const empty = tf.matMul(
      tf.zeros([2, 0], 'int32') as tf.Tensor2D,
      tf.zeros([0, 3], 'int32') as tf.Tensor2D,
    );
    expect(Array.from(empty.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses a fused int32 product with a bias, leaving no tensor', () => {
    const a = tf.tensor2d([1, 2], [1, 2], 'int32');
    const b = tf.tensor2d([3, 4], [2, 1], 'int32');
    const bias = tf.tensor1d([1], 'int32');
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      tf.fused.matMul({ a, b, bias });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toBe(
      '_FusedMatMul: an int32 product takes no bias or activation here (got a bias); multiply, then add the bias and apply the activation as separate ops.',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
