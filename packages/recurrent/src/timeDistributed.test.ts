import { Dense, runLayerTest, Sequential } from '@nutshell/layers';
import { read, ShapeError, tf, type Tensor } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { Embedding, LSTM, TimeDistributed } from './index.js';

const dispose = (...ts: (Tensor | Tensor[])[]) => tf.dispose(ts.flat());

describe('TimeDistributed', () => {
  it('equals the wrapped layer applied to each step alone, with one set of weights', async () => {
    const td = new TimeDistributed({
      layer: new Dense({ units: 3, activation: 'tanh', seed: 1 }),
      name: 'td',
    });
    const x = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 2);
    const y = td.apply(x);
    expect(y.shape).toEqual([2, 4, 3]);
    const steps = tf.unstack(x, 1).map((s) => td.layer.apply(s));
    const byStep = tf.stack(steps, 1);
    expect(Array.from(await read(y))).toEqual(Array.from(await read(byStep)));
    expect(td.weights.map((w) => w.name)).toEqual(['td/layer/kernel', 'td/layer/bias']);
    dispose(x, y, steps, byStep);
    td.dispose();
  });

  it('passes runLayerTest (shape, weights, config, save/load, gradients, leaks)', async () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 3);
    await runLayerTest({
      make: () => new TimeDistributed({ layer: new Dense({ units: 2, seed: 4 }) }),
      input: x,
      expectedOutputShape: [2, 3, 2],
      expectedWeights: [
        { name: 'layer/kernel', shape: [4, 2] },
        { name: 'layer/bias', shape: [2] },
      ],
    });
    x.dispose();
  });

  it('passes a padding mask on to the LSTM after it in a Sequential', async () => {
    const model = new Sequential(
      [
        new Embedding({ inputDim: 6, outputDim: 3, paddingIndex: 0, seed: 1 }),
        new TimeDistributed({ layer: new Dense({ units: 2, seed: 2 }) }),
        new LSTM({ units: 2, seed: 3 }),
      ],
      { inputShape: [null] },
    );
    const padded = tf.tensor2d([[4, 2, 0, 0]], undefined, 'int32');
    const short = tf.tensor2d([[4, 2]], undefined, 'int32');
    const [a, b] = [model.apply(padded), model.apply(short)];
    const [av, bv] = [await read(a), await read(b)];
    av.forEach((v, i) => expect(Math.abs(v - bv[i])).toBeLessThan(1e-6));
    dispose(padded, short, a, b);
    model.dispose();
  });

  it('refuses a rank-2 input with a ShapeError naming the layer', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2 }), name: 'per_step' });
    const x = tf.zeros([2, 3]);
    expect(() => td.apply(x)).toThrow(ShapeError);
    expect(() => td.apply(x)).toThrow(
      "TimeDistributed 'per_step': expected shape rank ≥ 3 [batch, steps, ...]",
    );
    x.dispose();
  });
});
