import { describe, expect, it } from 'vitest';
import { ShapeError, tf, type Tensor } from '@nutshell/tensor';
import { maxout } from './index.js';

describe('maxout', () => {
  it('takes the max over each unit’s pieces (unit-major layout)', async () => {
    const x = tf.tensor2d([
      [1, 5, -2, /* unit 1 */ 0, -1, -3],
      [4, 0, 3, /* unit 1 */ -7, 2, 2.5],
    ]);
    const y = maxout(x, 3);
    expect(y.shape).toEqual([2, 2]);
    expect(await y.array()).toEqual([
      [5, 0],
      [4, 2.5],
    ]);
    tf.dispose([x, y]);
  });

  it('routes the gradient to the winning piece (checked with finite differences)', async () => {
    const x0 = [0.3, -1.2, 0.9, 2.0, 1.1, 0.4];
    const w = [1.5, -0.5];
    const f = (x: Tensor) => tf.sum(tf.mul(tf.tensor1d(w), maxout(x, 3)));
    const g = Array.from(await tf.tidy(() => tf.grad(f)(tf.tensor1d(x0))).data());
    expect(g.map((v) => v + 0)).toEqual([0, 0, 1.5, -0.5, 0, 0]);
    const h = 1e-3;
    for (let i = 0; i < 6; i++) {
      const up = [...x0];
      const down = [...x0];
      up[i] += h;
      down[i] -= h;
      const fd = tf.tidy(() => ((f(tf.tensor1d(up)).arraySync() as number) - (f(tf.tensor1d(down)).arraySync() as number)) / (2 * h));
      expect(g[i]).toBeCloseTo(fd, 2);
    }
  });

  it('relu is the maxout of x and 0', async () => {
    const x = [-2, -0.5, 0.5, 3];
    const pairs = tf.tensor2d(x.map((v) => [v, 0]));
    expect(Array.from(await maxout(pairs, 2).data())).toEqual([0, 0, 0.5, 3]);
    pairs.dispose();
  });

  it('refuses a last axis that is not a multiple of pieces', () => {
    const x = tf.zeros([2, 5]);
    expect(() => maxout(x, 3)).toThrow(ShapeError);
    expect(() => maxout(x, 3)).toThrow('maxout: expected shape last axis a multiple of pieces = 3, got [2, 5].');
    x.dispose();
  });
});
