// Gradient and agreement checks shared by the cpu tests and the wasm tests (same checks on every backend).
import { Rng, numTensors, read, tf, type Tensor } from '@nutshell/tensor';
import { expect } from 'vitest';
import { conv2d, conv2dGeometry, type ConcreteConvAlgorithm, type Conv2DOptions } from '../index.js';
import { randomArray, referenceConv2d, relativeError, toTensor } from './reference.js';

export interface Case {
  x: number[];
  w: number[];
  opts: Conv2DOptions;
}

/** Seeded random problems covering strides, every padding form, dilation and groups (incl. depthwise). */
export function randomCases(count: number, seed: number): Case[] {
  const rng = new Rng(seed);
  const pick = <T>(v: readonly T[]): T => v[rng.nextInt(v.length)];
  const cases: Case[] = [];
  while (cases.length < count) {
    const groups = pick([1, 1, 2, 3]);
    const cin = groups * pick([1, 2]);
    const cout = groups * pick([1, 2, 3]);
    const k = pick([1, 2, 3, 3, 4, 5]);
    const kw = pick([k, k, 3]);
    const h = 5 + rng.nextInt(6);
    const w = 5 + rng.nextInt(6);
    const s = pick([1, 1, 2, 3]);
    const d = pick([1, 1, 2]);
    const padding = pick<Conv2DOptions['padding']>(['valid', 'same', [[1, 0], [2, 1]]]);
    const opts: Conv2DOptions = { strides: [s, pick([1, s])], dilations: s > 1 ? 1 : [d, 1], padding, groups };
    try {
      conv2dGeometry('case', [2, h, w, cin], [k, kw, cin / groups, cout], opts);
    } catch {
      continue;
    }
    cases.push({ x: [2, h, w, cin], w: [k, kw, cin / groups, cout], opts });
  }
  return cases;
}

export const winogradCases: Case[] = [
  { x: [2, 7, 9, 3], w: [3, 3, 3, 4], opts: { padding: 'same' } },
  { x: [1, 8, 8, 2], w: [3, 3, 2, 2], opts: { padding: 'valid' } },
  { x: [1, 6, 5, 4], w: [3, 3, 2, 4], opts: { padding: [[2, 0], [0, 1]], groups: 2 } },
  { x: [1, 5, 5, 3], w: [3, 3, 1, 6], opts: { padding: 'same', groups: 3 } },
];

export function applies(a: ConcreteConvAlgorithm, c: Case): boolean {
  if (a !== 'winograd') return true;
  const g = conv2dGeometry('t', c.x, c.w, c.opts);
  return g.kernelHeight === 3 && g.kernelWidth === 3 && g.strides.every((s) => s === 1) && g.dilations.every((d) => d === 1);
}

/**
 * Forward values and both gradients of `algorithm` against the float64 loop reference, within 1e-4 relative,
 * with no tensor left behind. Returns how many cases were checked.
 */
export async function checkAgainstReference(algorithm: ConcreteConvAlgorithm, cases: Case[], seed = 7): Promise<number> {
  const rng = new Rng(seed);
  let checked = 0;
  for (const c of cases) {
    if (!applies(algorithm, c)) continue;
    const g = conv2dGeometry('t', c.x, c.w, c.opts);
    const xv = randomArray(c.x.reduce((a, b) => a * b), rng);
    const wv = randomArray(c.w.reduce((a, b) => a * b), rng);
    const rv = randomArray(g.batch * g.outHeight * g.outWidth * g.outChannels, rng);
    const ref = referenceConv2d(xv, wv, g, rv);
    const x = toTensor(xv, c.x);
    const w = toTensor(wv, c.w);
    const r = toTensor(rv, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
    const before = numTensors();
    const y = conv2d(x, w, { ...c.opts, algorithm });
    const [dx, dw] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(conv2d(a, b, { ...c.opts, algorithm }), r)))([x, w]);
    const label = `${algorithm} on ${tf.getBackend()}: x[${c.x}] w[${c.w}] ${JSON.stringify(c.opts)}`;
    expect(y.shape, label).toEqual([g.batch, g.outHeight, g.outWidth, g.outChannels]);
    expect(relativeError(await read(y), ref.y), label).toBeLessThan(1e-4);
    expect(relativeError(await read(dx), ref.dx), label).toBeLessThan(1e-4);
    expect(relativeError(await read(dw), ref.dw), label).toBeLessThan(1e-4);
    tf.dispose([y, dx, dw]);
    expect(numTensors(), label).toBe(before);
    tf.dispose([x, w, r]);
    checked++;
  }
  return checked;
}

/** Central finite differences of `loss` at a few random coordinates of each input vs its autodiff gradient. */
export async function checkFiniteDifferences(
  loss: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: { eps: number; samples: number; tolerance: number; seed: number; label: string },
): Promise<void> {
  const rng = new Rng(opts.seed);
  const grads = tf.grads(loss)(inputs);
  for (let k = 0; k < inputs.length; k++) {
    const grad = await read(grads[k]);
    const base = await read(inputs[k]);
    for (let s = 0; s < opts.samples; s++) {
      const i = rng.nextInt(base.length);
      const at = async (delta: number) => {
        const v = Float32Array.from(base);
        v[i] += delta;
        const p = tf.tensor(v, inputs[k].shape);
        const args = inputs.map((t, j) => (j === k ? p : t));
        const l = tf.tidy(() => loss(...args));
        const out = (await read(l))[0];
        tf.dispose([p, l]);
        return out;
      };
      const fd = ((await at(opts.eps)) - (await at(-opts.eps))) / (2 * opts.eps);
      expect(Math.abs(fd - grad[i]), `${opts.label}: input ${k} index ${i}: fd ${fd} vs autodiff ${grad[i]}`).toBeLessThan(
        opts.tolerance * Math.max(1, Math.abs(fd)),
      );
    }
  }
  tf.dispose(grads);
}

/** Distinct values 0.1 apart (shuffled), so max-pool windows have no ties within a finite-difference step. */
export function distinctValues(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b);
  const rng = new Rng(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return tf.tensor(Float32Array.from(idx, (p) => (p - n / 2) * 0.1), shape);
}
