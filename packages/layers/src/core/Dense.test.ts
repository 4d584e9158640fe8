import { describe, expect, it } from 'vitest';
import { ShapeError, numTensors, tf } from '@nutshell/tensor';
import { Dense, initializers, layerFromConfig, regularizers } from '../index.js';
import { gradCheck } from '../test-utils/gradcheck.js';

describe('Dense', () => {
  it('computes activation(x·W + b), checked by hand', async () => {
    const d = new Dense({ units: 2, activation: 'relu', name: 'd' });
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0, 1],
    ]);
    d.apply(x).dispose(); // builds
    d.setWeights([tf.tensor2d([[1, -1], [0, 2], [0.5, 0]]), tf.tensor1d([0.5, -1])]);
    const y = d.apply(x);
    // row 0: [1 + 0 + 1.5 + 0.5, -1 + 4 + 0 - 1] = [3, 2]; row 1: [-1 + 0.5 + 0.5, 1 + 0 - 1] = [0, 0] → relu
    expect(await y.array()).toEqual([
      [3, 2],
      [0, 0],
    ]);
    expect(d.weights.map((w) => [w.name, w.variable.shape])).toEqual([
      ['d/kernel', [3, 2]],
      ['d/bias', [2]],
    ]);
    expect(d.countParams()).toBe(8);
    tf.dispose([x, y]);
    d.dispose();
  });

  it('refuses a non-positive or fractional number of units', () => {
    expect(() => new Dense({ units: 0, name: 'z' })).toThrow("Dense 'z': units must be a positive integer, got 0.");
    expect(() => new Dense({ units: 2.5 })).toThrow(/units must be a positive integer/);
  });

  it('builds lazily from the first input and names itself dense_N', () => {
    const d = new Dense({ units: 4 });
    expect(d.built).toBe(false);
    expect(d.name).toMatch(/^dense_\d+$/);
    const x = tf.zeros([5, 7]);
    d.apply(x).dispose();
    expect(d.built).toBe(true);
    expect(d.inputWidth).toBe(7);
    expect(d.countParams()).toBe(7 * 4 + 4);
    x.dispose();
    d.dispose();
  });

  it('transforms the last axis of higher-rank inputs', async () => {
    const d = new Dense({ units: 3, seed: 1 });
    const x = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 3);
    const y = d.apply(x);
    expect(y.shape).toEqual([2, 5, 3]);
    const flat = d.apply(tf.reshape(x, [10, 4]));
    expect(Array.from(await y.data())).toEqual(Array.from(await flat.data()));
    tf.dispose([x, y, flat]);
    d.dispose();
  });

  it('gradients with respect to input, kernel and bias match finite differences', async () => {
    const d = new Dense({ units: 3, activation: 'tanh', seed: 2 });
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 4);
    await gradCheck(d, x);
    x.dispose();
    d.dispose();
  });

  it('refuses an input of the wrong width with a ShapeError naming the layer and shapes', () => {
    const d = new Dense({ units: 2, name: 'classifier' });
    const a = tf.zeros([3, 4]);
    const b = tf.zeros([3, 5]);
    d.apply(a).dispose();
    expect(() => d.apply(b)).toThrow(ShapeError);
    expect(() => d.apply(b)).toThrow("Dense 'classifier': expected shape [?, 4], got [3, 5] (input width 5, the kernel expects 4).");
    const v = tf.zeros([4]);
    expect(() => d.apply(v)).toThrow("Dense 'classifier': expected shape [batch, features] (rank >= 2), got [4].");
    tf.dispose([a, b, v]);
    d.dispose();
  });

  it('is seeded: the same seed gives the same kernel bit for bit', async () => {
    const a = new Dense({ units: 5, seed: 42 });
    const b = new Dense({ units: 5, kernelInitializer: initializers.glorotUniform({ seed: 42 }) });
    const x = tf.ones([1, 6]);
    a.apply(x).dispose();
    b.apply(x).dispose();
    expect(Array.from(await a.weights[0].variable.data())).toEqual(Array.from(await b.weights[0].variable.data()));
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('adds its L1/L2 penalties to regularizationLoss', async () => {
    const d = new Dense({ units: 2, kernelRegularizer: regularizers.l2(0.1), biasRegularizer: regularizers.l1(0.5), biasInitializer: initializers.constant({ value: -1 }) });
    const x = tf.ones([1, 2]);
    d.apply(x).dispose();
    d.setWeights([tf.tensor2d([[1, 2], [3, -4]]), tf.tensor1d([1, -3])]);
    const loss = d.regularizationLoss()!;
    expect((await loss.data())[0]).toBeCloseTo(0.1 * (1 + 4 + 9 + 16) + 0.5 * (1 + 3), 5);
    loss.dispose();
    d.trainable = false;
    expect(d.regularizationLoss()).toBeNull();
    expect(d.trainableWeights).toEqual([]);
    expect(d.weights[0].variable.trainable).toBe(false);
    x.dispose();
    d.dispose();
  });

  it('round-trips its config through JSON', () => {
    const d = new Dense({ units: 3, activation: 'leaky_relu', useBias: false, kernelInitializer: initializers.heNormal({ seed: 3 }), kernelRegularizer: regularizers.l1l2({ l1: 0.1, l2: 0.2 }) });
    const cfg = JSON.parse(JSON.stringify(d.getConfig()));
    expect(cfg).toMatchObject({ className: 'Dense', units: 3, activation: 'leakyRelu', useBias: false, kernelInitializer: { className: 'heNormal', config: { seed: 3 } } });
    const e = layerFromConfig(cfg) as Dense;
    expect(e).toBeInstanceOf(Dense);
    expect(e.getConfig()).toEqual(d.getConfig());
  });

  it('leaks no tensors over repeated apply', () => {
    const d = new Dense({ units: 8, activation: 'relu', seed: 1 });
    const x = tf.ones([16, 4]);
    d.apply(x).dispose();
    const before = numTensors();
    for (let i = 0; i < 10; i++) d.apply(x).dispose();
    expect(numTensors()).toBe(before);
    x.dispose();
    d.dispose();
  });
});
