import { describe, expect, it } from 'vitest';
import { ShapeError, numTensors, tf, type Tensor } from '@nutshell/tensor';
import { logSoftmax, softmax } from './index.js';

const logits = [
  [1, 2, 3, -1],
  [0.5, -0.5, 0, 2],
  [-3, 4, 1, 0],
];

function refSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
const transpose = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));

async function arr(t: Tensor): Promise<number[][]> {
  const v = (await t.array()) as number[][];
  t.dispose();
  return v;
}

describe('softmax and logSoftmax', () => {
  it('match the definition along the last axis and along axis 0', async () => {
    const last = await arr(tf.tidy(() => softmax(tf.tensor2d(logits))));
    last.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(refSoftmax(logits[i])[j], 6)));
    const first = await arr(tf.tidy(() => softmax(tf.tensor2d(logits), 0)));
    const refFirst = transpose(transpose(logits).map(refSoftmax));
    first.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(refFirst[i][j], 6)));
    const logs = await arr(tf.tidy(() => logSoftmax(tf.tensor2d(logits), 0)));
    logs.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(Math.log(refFirst[i][j]), 5)));
  });

  it.each([
    ['softmax', softmax, -1],
    ['softmax', softmax, 0],
    ['logSoftmax', logSoftmax, -1],
    ['logSoftmax', logSoftmax, 0],
  ] as const)('%s gradient (axis %d) matches central finite differences', async (_n, fn, axis) => {
    // A scalar loss L = Σ w ⊙ f(x) with fixed weights w exercises the full Jacobian.
    const w = [
      [0.3, -1.2, 0.7, 2.0],
      [1.1, 0.4, -0.6, -0.2],
      [-0.9, 0.25, 1.5, 0.8],
    ];
    const loss = (x: number[][]) =>
      tf.tidy(() => tf.sum(tf.mul(tf.tensor2d(w), fn(tf.tensor2d(x), axis))).arraySync() as number);
    const g = await arr(tf.tidy(() => tf.grad((x: Tensor) => tf.sum(tf.mul(tf.tensor2d(w), fn(x, axis))))(tf.tensor2d(logits))));
    const h = 1e-2;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 4; j++) {
        const up = logits.map((r) => [...r]);
        const down = logits.map((r) => [...r]);
        up[i][j] += h;
        down[i][j] -= h;
        expect(Math.abs(g[i][j] - (loss(up) - loss(down)) / (2 * h))).toBeLessThan(2e-3);
      }
    }
  });

  it('saturates cleanly at ±80 and ±1e4: exact 0/1, finite logs and gradients', async () => {
    const x = [
      [80, -80, 0],
      [1e4, -1e4, 0],
    ];
    const p = await arr(tf.tidy(() => softmax(tf.tensor2d(x))));
    expect(p[0][0]).toBeCloseTo(1, 6);
    expect(p[0][1]).toBeCloseTo(0, 30);
    expect(p[1]).toEqual([1, 0, 0]);
    const lp = await arr(tf.tidy(() => logSoftmax(tf.tensor2d(x))));
    expect(lp[0][1]).toBeCloseTo(-160, 3);
    expect(lp[1][1]).toBeCloseTo(-2e4, 0);
    for (const fn of [softmax, logSoftmax]) {
      const g = await arr(tf.tidy(() => tf.grad((t: Tensor) => tf.sum(tf.mul(tf.tensor2d([[1, 2, 3], [3, 2, 1]]), fn(t))))(tf.tensor2d(x))));
      for (const v of g.flat()) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('rows sum to 1; a bad axis is a ShapeError naming it', async () => {
    const s = await arr(tf.tidy(() => tf.expandDims(tf.sum(softmax(tf.tensor2d(logits)), -1), 0)));
    s[0].forEach((v) => expect(v).toBeCloseTo(1, 6));
    const x = tf.zeros([2, 3]);
    expect(() => softmax(x, 2)).toThrow(ShapeError);
    expect(() => logSoftmax(x, -3)).toThrow('logSoftmax: expected shape an axis in [-2, 1], got [2, 3] (axis -3).');
    x.dispose();
  });

  it('leaks no tensors, forward or backward', () => {
    const x = tf.tensor2d(logits);
    const before = numTensors();
    for (let i = 0; i < 5; i++) {
      softmax(x).dispose();
      logSoftmax(x, 0).dispose();
      tf.tidy(() => tf.grad((t: Tensor) => tf.sum(softmax(t, 0)))(x)).dispose();
    }
    expect(numTensors()).toBe(before);
    x.dispose();
  });
});
