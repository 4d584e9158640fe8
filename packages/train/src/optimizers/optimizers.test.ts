import { describe, expect, it } from 'vitest';
import { ShapeError, numTensors, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { SGD, momentum, nesterov } from './sgd.js';
import { RMSProp } from './rmsprop.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { clipByGlobalNorm } from './optimizer.js';
import type { Optimizer } from './optimizer.js';
import { getOptimizer } from './getOptimizer.js';
import { ConfigError } from '../errors.js';
import { expectClose } from '../test-utils/numeric.js';

const w0 = [1, -2, 0.5];
const g1 = [0.5, -0.1, 2];
const g2 = [-0.3, 0.4, 1];

/** Runs steps with fixed gradients and returns the weights after each step. */
function run(opt: Optimizer, grads: number[][], start = w0): number[][] {
  const w = { name: 'w', variable: tf.variable(tf.tensor1d(start)) };
  const out: number[][] = [];
  for (const g of grads) {
    const gt = tf.tensor1d(g);
    opt.applyGradients([w], [gt]);
    gt.dispose();
    out.push(Array.from(w.variable.dataSync()));
  }
  w.variable.dispose();
  opt.dispose();
  return out;
}

/** Applies `f(w, g, i)` to each element, in float64: the hand-computed reference. */
const each = (w: number[], f: (w: number, i: number) => number) => w.map((x, i) => f(x, i));

describe('optimizers: one and two steps against hand-computed updates', () => {
  it('SGD: w − lr·g', () => {
    const [s1] = run(new SGD({ learningRate: 0.1 }), [g1]);
    expectClose(s1, each(w0, (w, i) => w - 0.1 * g1[i]), 1e-6);
  });

  it('momentum: v = μv + g, w − lr·v', () => {
    const [s1, s2] = run(momentum({ learningRate: 0.1, momentum: 0.9 }), [g1, g2]);
    const v1 = g1;
    const v2 = each(v1, (v, i) => 0.9 * v + g2[i]);
    const e1 = each(w0, (w, i) => w - 0.1 * v1[i]);
    expectClose(s1, e1, 1e-6);
    expectClose(s2, each(e1, (w, i) => w - 0.1 * v2[i]), 1e-6);
  });

  it('Nesterov: w − lr·(g + μv)', () => {
    const [s1, s2] = run(nesterov({ learningRate: 0.1, momentum: 0.9 }), [g1, g2]);
    const v1 = g1;
    const v2 = each(v1, (v, i) => 0.9 * v + g2[i]);
    const e1 = each(w0, (w, i) => w - 0.1 * (g1[i] + 0.9 * v1[i]));
    expectClose(s1, e1, 1e-6);
    expectClose(s2, each(e1, (w, i) => w - 0.1 * (g2[i] + 0.9 * v2[i])), 1e-6);
  });

  it('RMSProp: s = ρs + (1−ρ)g², w − lr·g/(√s + ε)', () => {
    const [s1, s2] = run(new RMSProp({ learningRate: 0.01, rho: 0.9, epsilon: 1e-7 }), [g1, g2]);
    const ms1 = g1.map((g) => 0.1 * g * g);
    const ms2 = each(ms1, (s, i) => 0.9 * s + 0.1 * g2[i] ** 2);
    const e1 = each(w0, (w, i) => w - (0.01 * g1[i]) / (Math.sqrt(ms1[i]) + 1e-7));
    expectClose(s1, e1, 1e-6);
    expectClose(s2, each(e1, (w, i) => w - (0.01 * g2[i]) / (Math.sqrt(ms2[i]) + 1e-7)), 1e-6);
  });

  it('Adagrad: s = s + g², w − lr·g/(√s + ε)', () => {
    const [s1, s2] = run(new Adagrad({ learningRate: 0.1 }), [g1, g2]);
    const a1 = g1.map((g) => g * g);
    const a2 = each(a1, (s, i) => s + g2[i] ** 2);
    const e1 = each(w0, (w, i) => w - (0.1 * g1[i]) / (Math.sqrt(a1[i]) + 1e-10));
    expectClose(s1, e1, 1e-6);
    expectClose(s2, each(e1, (w, i) => w - (0.1 * g2[i]) / (Math.sqrt(a2[i]) + 1e-10)), 1e-6);
  });

  const adamRef = (lr: number, wd: number) => {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    let w = w0;
    let m = [0, 0, 0];
    let v = [0, 0, 0];
    const out: number[][] = [];
    [g1, g2].forEach((g, k) => {
      const t = k + 1;
      m = each(m, (x, i) => b1 * x + (1 - b1) * g[i]);
      v = each(v, (x, i) => b2 * x + (1 - b2) * g[i] ** 2);
      w = each(w, (x, i) => x - lr * (m[i] / (1 - b1 ** t) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps) + wd * x));
      out.push(w);
    });
    return out;
  };

  it('Adam: bias-corrected moments, w − lr·m̂/(√v̂ + ε)', () => {
    const got = run(new Adam({ learningRate: 0.01 }), [g1, g2]);
    const ref = adamRef(0.01, 0);
    // The first Adam step is lr·sign(g) (up to ε): a sanity anchor independent of the reference code.
    expectClose(got[0], each(w0, (w, i) => w - 0.01 * Math.sign(g1[i])), 1e-6);
    expectClose(got[0], ref[0], 1e-6);
    expectClose(got[1], ref[1], 1e-6);
  });

  it('AdamW: decoupled decay, w − lr·(m̂/(√v̂ + ε) + λw)', () => {
    const got = run(new AdamW({ learningRate: 0.01, weightDecay: 0.1 }), [g1, g2]);
    const ref = adamRef(0.01, 0.1);
    expectClose(got[0], ref[0], 1e-6);
    expectClose(got[1], ref[1], 1e-6);
  });
});

describe('gradient clipping', () => {
  it('by value clips each element', () => {
    const [s1] = run(new SGD({ learningRate: 1, clipValue: 0.4 }), [g1]);
    expectClose(s1, [1 - 0.4, -2 + 0.1, 0.5 - 0.4], 1e-6);
  });

  it('by global norm scales all gradients together; leaves small ones alone', async () => {
    const a = tf.tensor1d([3, 0]);
    const b = tf.tensor1d([4]);
    const [ca, cb] = clipByGlobalNorm([a, b], 1); // norm 5 → scale 1/5
    expectClose(await ca!.data(), [0.6, 0], 1e-6);
    expectClose(await cb!.data(), [0.8], 1e-6);
    const [same] = clipByGlobalNorm([a], 10);
    expectClose(await same!.data(), [3, 0], 1e-6);
    tf.dispose([a, b, ca!, cb!, same!]);
    const [s1] = run(new SGD({ learningRate: 1, clipGlobalNorm: 1 }), [[3, 4, 0]]);
    expectClose(s1, [1 - 0.6, -2 - 0.8, 0.5], 1e-6);
  });
});

describe('state save and restore', () => {
  it('a restored Adam continues exactly like the original', () => {
    const mk = () => ({ name: 'layer/w', variable: tf.variable(tf.tensor1d(w0)) });
    const a = new Adam({ learningRate: 0.05 });
    const wa = mk();
    const grads = [g1, g2, [0.1, 0.2, -0.3]].map((g) => tf.tensor1d(g));
    a.applyGradients([wa], [grads[0]]);
    const state = a.getState();
    expect(state.iterations).toBe(1);
    expect(Object.keys(state.slots).sort()).toEqual(['layer/w/m', 'layer/w/v']);

    const b = new Adam({ learningRate: 0.5 });
    const wb = mk();
    wb.variable.assign(wa.variable);
    b.setState(state);
    tf.dispose(state.slots);
    expect(b.learningRate).toBe(0.05);
    for (const g of grads.slice(1)) {
      a.applyGradients([wa], [g]);
      b.applyGradients([wb], [g]);
    }
    expect(Array.from(wb.variable.dataSync())).toEqual(Array.from(wa.variable.dataSync()));
    expect(() => new SGD().setState(a.getState())).toThrow(/SGD.setState: the state is of a Adam optimizer/);
    tf.dispose([...grads, wa.variable, wb.variable]);
    a.dispose();
    b.dispose();
  });

  it('a step leaks no tensor', () => {
    const opt = new Adam({ clipGlobalNorm: 1 });
    const w = { name: 'w', variable: tf.variable(tf.tensor1d(w0)) };
    const g = tf.tensor1d(g1);
    opt.applyGradients([w], [g]); // creates the slots
    const before = numTensors();
    for (let i = 0; i < 5; i++) opt.applyGradients([w], [g]);
    expect(numTensors()).toBe(before);
    const loss = opt.minimize(() => tf.sum(tf.square(w.variable)) as Tensor, [w]);
    loss.dispose();
    expect(numTensors()).toBe(before);
    tf.dispose([g, w.variable]);
    opt.dispose();
  });
});

describe('bad configuration', () => {
  it('names the option and the value', () => {
    expect(() => new SGD({ learningRate: -1 })).toThrow(ConfigError);
    expect(() => new SGD({ learningRate: -1 })).toThrow('learningRate must be a finite number ≥ 0, got -1.');
    expect(() => new Adam({ beta1: 1 })).toThrow('beta1 must be in [0, 1), got 1.');
    expect(() => getOptimizer('adamax' as 'adam')).toThrow(/Unknown optimizer 'adamax'/);
    expect(getOptimizer('adam', { learningRate: 0.1 }).learningRate).toBe(0.1);
    const w = { name: 'w', variable: tf.variable(tf.zeros([3])) };
    expect(() => new SGD().applyGradients([w], [tf.zeros([2])])).toThrow(ShapeError);
    w.variable.dispose();
  });
});

describe('a learning rate that changes every step', () => {
  it('keeps no tensor per distinct rate', () => {
    const opt = new SGD({ learningRate: 0.1, momentum: 0.5 });
    const w = { name: 'w', variable: tf.variable(tf.tensor1d(w0)) };
    const g = tf.tensor1d(g1);
    opt.applyGradients([w], [g]);
    const before = numTensors();
    for (let i = 0; i < 5; i++) {
      opt.learningRate = 0.1 / (i + 2);
      opt.applyGradients([w], [g]);
    }
    expect(numTensors()).toBe(before);
    tf.dispose([g, w.variable]);
    opt.dispose();
  });
});
