import { describe, expect, it } from 'vitest';
import { randomNormal } from '@nutshell/tensor';
import { Activation, Dense, type Layer, Dropout, Model, NotLinearError, Sequential, collapseLinear, input } from './index.js';

describe('collapseLinear', () => {
  it('turns 20 stacked linear Dense layers into one Dense layer with the same outputs', async () => {
    const layers: Layer[] = Array.from({ length: 20 }, (_, i) => new Dense({ units: i === 19 ? 3 : 5, seed: i, useBias: i % 3 !== 0, biasInitializer: 'ones' }));
    layers.splice(7, 0, new Activation({ activation: 'linear' }));
    const deep = new Sequential(layers, { inputShape: [4] });
    const one = collapseLinear(deep);
    expect(one.layers.length).toBe(1);
    expect(one.countParams()).toBe(4 * 3 + 3);
    const x = randomNormal([10, 4], { seed: 1 });
    const a = await deep.apply(x).data();
    const b = await one.apply(x).data();
    const scale = Math.max(...Array.from(a, Math.abs));
    Array.from(a).forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-4 * Math.max(1, scale)));
    x.dispose();
    deep.dispose();
    one.dispose();
  });

  it('refuses a model with a non-linearity, naming the layer', () => {
    const withRelu = new Sequential([new Dense({ units: 3 }), new Dense({ units: 3, activation: 'relu', name: 'hidden' }), new Dense({ units: 1 })], { inputShape: [2] });
    expect(() => collapseLinear(withRelu)).toThrow(NotLinearError);
    expect(() => collapseLinear(withRelu)).toThrow(
      "collapseLinear: layer 'hidden' has activation 'relu'; only Dense layers with activation 'linear' (and 'linear' Activation layers) collapse into one.",
    );
    const withAct = new Sequential([new Dense({ units: 3 }), new Activation({ activation: 'tanh', name: 'squash' })], { inputShape: [2] });
    expect(() => collapseLinear(withAct)).toThrow(/layer 'squash' is an Activation 'tanh'/);
    const withDropout = new Sequential([new Dense({ units: 3 }), new Dropout({ rate: 0.5, name: 'drop' })], { inputShape: [2] });
    expect(() => collapseLinear(withDropout)).toThrow(/layer 'drop' is a Dropout/);
    const x = input([2]);
    expect(() => collapseLinear(new Model({ inputs: x, outputs: new Dense({ units: 1 }).apply(x) }))).toThrow(/needs a Sequential/);
    for (const m of [withRelu, withAct, withDropout]) m.dispose();
  });
});
