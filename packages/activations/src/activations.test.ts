import { describe, expect, it } from 'vitest';
import { numTensors, tf, type Tensor } from '@nutshell/tensor';
import {
  SELU_ALPHA,
  SELU_SCALE,
  elu,
  gelu,
  geluTanh,
  hardSigmoid,
  hardSwish,
  leakyRelu,
  linear,
  mish,
  relu,
  relu6,
  selu,
  sigmoid,
  silu,
  softplus,
  softsign,
  swish,
  tanh,
  type ActivationFn,
} from './index.js';

// Independent float64 references, written from the textbook definitions.
const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is only 1e-7 accurate; use the series / continued fraction via high-precision Taylor.
  // Taylor series converges fast for |x| < 3; beyond that erf is ±1 to float32 precision.
  if (Math.abs(x) > 4) return Math.sign(x);
  let sum = 0;
  let term = x;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const sp = (x: number) => Math.log1p(Math.exp(x));
const refs: Record<string, [ActivationFn, (x: number) => number]> = {
  sigmoid: [sigmoid, sig],
  tanh: [tanh, Math.tanh],
  relu: [relu, (x) => Math.max(0, x)],
  relu6: [relu6, (x) => Math.min(Math.max(0, x), 6)],
  leakyRelu: [(x) => leakyRelu(x, 0.1), (x) => (x > 0 ? x : 0.1 * x)],
  elu: [(x) => elu(x, 0.7), (x) => (x > 0 ? x : 0.7 * (Math.exp(x) - 1))],
  selu: [selu, (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1))],
  gelu: [gelu, (x) => 0.5 * x * (1 + erf(x / Math.SQRT2))],
  geluTanh: [geluTanh, (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))],
  swish: [(x) => swish(x, 1.5), (x) => x * sig(1.5 * x)],
  silu: [silu, (x) => x * sig(x)],
  mish: [mish, (x) => x * Math.tanh(sp(x))],
  softplus: [softplus, sp],
  softsign: [softsign, (x) => x / (1 + Math.abs(x))],
  hardSigmoid: [hardSigmoid, (x) => Math.min(Math.max(x + 3, 0), 6) / 6],
  hardSwish: [hardSwish, (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6],
  linear: [linear, (x) => x],
};

// Points away from every kink (0, ±3, 6), covering both sides and the saturated regions.
const xs = [-7.3, -4.1, -2.2, -1.3, -0.6, -0.15, 0.11, 0.45, 0.9, 1.7, 2.6, 4.4, 6.8];

async function values(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

function grads(fn: ActivationFn, points: number[]): Tensor {
  return tf.tidy(() => tf.grad((x: Tensor) => tf.sum(fn(x)))(tf.tensor1d(points)));
}

describe.each(Object.entries(refs))('%s', (_name, [fn, ref]) => {
  it('forward matches the float64 definition', async () => {
    const got = await values(tf.tidy(() => fn(tf.tensor1d(xs))));
    got.forEach((v, i) => expect(v).toBeCloseTo(ref(xs[i]), 5));
  });

  it('gradient matches central finite differences of the definition', async () => {
    const g = await values(grads(fn, xs));
    const h = 1e-5;
    g.forEach((v, i) => {
      const fd = (ref(xs[i] + h) - ref(xs[i] - h)) / (2 * h);
      expect(Math.abs(v - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
    });
  });

  it('gradient matches finite differences of the tensor function itself (float32)', async () => {
    const h = 1e-2;
    const g = await values(grads(fn, xs));
    const up = await values(tf.tidy(() => fn(tf.tensor1d(xs.map((x) => x + h)))));
    const down = await values(tf.tidy(() => fn(tf.tensor1d(xs.map((x) => x - h)))));
    g.forEach((v, i) => expect(Math.abs(v - (up[i] - down[i]) / (2 * h))).toBeLessThan(2e-3));
  });

  it('stays finite in the far tails (±80, ±1e4), value and gradient', async () => {
    const tails = [-1e4, -80, 80, 1e4];
    const v = await values(tf.tidy(() => fn(tf.tensor1d(tails))));
    const g = await values(grads(fn, tails));
    for (const x of [...v, ...g]) expect(Number.isFinite(x)).toBe(true);
    // And the values are the limits where the definition gives them.
    const expected80 = ref(80);
    if (Number.isFinite(expected80)) expect(v[2]).toBeCloseTo(expected80, 3);
  });

  it('leaks no tensors', () => {
    const before = numTensors();
    for (let i = 0; i < 5; i++) {
      const x = tf.tensor1d(xs);
      fn(x).dispose();
      grads(fn, xs).dispose();
      x.dispose();
    }
    expect(numTensors()).toBe(before);
  });
});

describe('sub-gradients at kinks', () => {
  // Each documented choice, and a check that it lies between the one-sided derivatives.
  const cases: [string, ActivationFn, number, number][] = [
    ['relu at 0 uses 0', relu, 0, 0],
    ['relu6 at 0 uses 0', relu6, 0, 0],
    ['relu6 at 6 uses 1', relu6, 6, 1],
    ['leakyRelu(0.1) at 0 uses alpha', (x) => leakyRelu(x, 0.1), 0, 0.1],
    ['elu(0.7) at 0 uses alpha', (x) => elu(x, 0.7), 0, 0.7],
    ['hardSigmoid at -3 uses 0', hardSigmoid, -3, 0],
    ['hardSigmoid at 3 uses 1/6', hardSigmoid, 3, 1 / 6],
    ['softsign at 0 is smooth: 1', softsign, 0, 1],
  ];
  it.each(cases)('%s', async (_label, fn, at, expected) => {
    const [g] = await values(grads(fn, [at]));
    expect(g).toBeCloseTo(expected, 6);
    const h = 1e-3;
    const [l0, c, r0] = await values(tf.tidy(() => fn(tf.tensor1d([at - h, at, at + h]))));
    const left = (c - l0) / h;
    const right = (r0 - c) / h;
    expect(g).toBeGreaterThanOrEqual(Math.min(left, right) - 1e-3);
    expect(g).toBeLessThanOrEqual(Math.max(left, right) + 1e-3);
  });
});

describe('defaults and options', () => {
  it('leakyRelu defaults to alpha 0.01, elu to alpha 1, swish to beta 1', async () => {
    expect(await values(tf.tidy(() => leakyRelu(tf.tensor1d([-2]))))).toEqual([expect.closeTo(-0.02, 7)]);
    expect((await values(tf.tidy(() => elu(tf.tensor1d([-1])))))[0]).toBeCloseTo(Math.exp(-1) - 1, 6);
    expect((await values(tf.tidy(() => swish(tf.tensor1d([1])))))[0]).toBeCloseTo(sig(1), 6);
  });

  it("gelu({approximate:'tanh'}) is geluTanh and within 1e-3 of the exact form", async () => {
    const a = await values(tf.tidy(() => gelu(tf.tensor1d(xs), { approximate: 'tanh' })));
    const b = await values(tf.tidy(() => geluTanh(tf.tensor1d(xs))));
    const exact = await values(tf.tidy(() => gelu(tf.tensor1d(xs))));
    expect(a).toEqual(b);
    a.forEach((v, i) => expect(Math.abs(v - exact[i])).toBeLessThan(1e-3));
  });

  it('linear returns a new tensor the caller owns', () => {
    const x = tf.tensor1d([1, 2]);
    const y = linear(x);
    expect(y).not.toBe(x);
    x.dispose();
    expect(y.isDisposed).toBe(false);
    y.dispose();
  });
});
