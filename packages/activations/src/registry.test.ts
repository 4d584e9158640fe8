import { describe, expect, it } from 'vitest';
import { numTensors, tf } from '@nutshell/tensor';
import {
  UnknownActivationError,
  activationNames,
  canonicalActivationName,
  getActivation,
  leakyRelu,
  registerActivation,
  relu,
  sample,
} from './index.js';

describe('registry', () => {
  it('finds every built-in by name, ignoring case, _ and -', () => {
    expect(getActivation('relu')).toBe(relu);
    expect(canonicalActivationName('leaky_relu')).toBe('leakyRelu');
    expect(canonicalActivationName('LeakyReLU')).toBe('leakyRelu');
    for (const name of activationNames()) expect(typeof getActivation(name)).toBe('function');
    expect(activationNames()).toEqual(expect.arrayContaining(['sigmoid', 'tanh', 'gelu', 'geluTanh', 'mish', 'softmax', 'logSoftmax']));
  });

  it('leakyRelu by name uses alpha 0.01', async () => {
    const x = tf.tensor1d([-1, 2]);
    const a = getActivation('leaky_relu')(x);
    const b = leakyRelu(x, 0.01);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([x, a, b]);
  });

  it('an unknown name throws UnknownActivationError listing the known names', () => {
    expect(() => getActivation('relu7')).toThrow(UnknownActivationError);
    expect(() => getActivation('relu7')).toThrow(/Unknown activation 'relu7'\. Known activations: linear, sigmoid, tanh, relu, relu6/);
  });

  it('registers custom activations but refuses to replace a built-in', async () => {
    registerActivation('square', (x) => tf.square(x));
    const x = tf.tensor1d([3]);
    const y = getActivation('square')(x);
    expect(Array.from(await y.data())).toEqual([9]);
    expect(activationNames()).toContain('square');
    expect(() => registerActivation('ReLU', (t) => t)).toThrow(/built-in/);
    tf.dispose([x, y]);
  });
});

describe('sample', () => {
  it('returns evenly spaced points with values and derivatives, leaking nothing', async () => {
    const before = numTensors();
    const pts = await sample('tanh', [-4, 4], { points: 9 });
    expect(numTensors()).toBe(before);
    expect(pts.map((p) => p.x)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    pts.forEach((p) => {
      expect(p.y).toBeCloseTo(Math.tanh(p.x), 6);
      expect(p.dydx).toBeCloseTo(1 - Math.tanh(p.x) ** 2, 6);
    });
    const r = await sample(relu, [-1, 1], { points: 3 });
    expect(r).toEqual([
      { x: -1, y: 0, dydx: 0 },
      { x: 0, y: 0, dydx: 0 },
      { x: 1, y: 1, dydx: 1 },
    ]);
    expect((await sample('sigmoid', [-5, 5])).length).toBe(201);
  });

  it('refuses a bad range or point count', async () => {
    await expect(sample('relu', [1, -1])).rejects.toThrow(/min < max/);
    await expect(sample('relu', [0, 1], { points: 1 })).rejects.toThrow(/points/);
    await expect(sample('nope', [0, 1])).rejects.toThrow(UnknownActivationError);
  });
});
