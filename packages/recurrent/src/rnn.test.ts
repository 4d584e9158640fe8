import { describe, expect, it } from 'vitest';
import {
  Dense,
  input,
  Model,
  modelFromBytes,
  modelFromConfig,
  modelToBytes,
  Sequential,
} from '@nutshell/layers';
import { read, ShapeError, tf, type Tensor } from '@nutshell/tensor';
import { Embedding, GRU, LSTM, RecurrentArgumentError, SimpleRNN } from './index.js';

const dispose = (...ts: (Tensor | Tensor[])[]) => tf.dispose(ts.flat());

describe('recurrent layers refuse bad input with typed errors, leaking nothing', () => {
  const lstm = new LSTM({ units: 3, name: 'enc' });
  const x = tf.zeros([2, 4, 5]);
  lstm.apply(x).dispose();

  it.each([
    [
      'rank-2 input',
      [2, 5],
      "LSTM 'enc': expected shape rank 3 [batch, steps, features], got [2, 5] (a sequence layer reads one vector per step).",
    ],
    [
      'wrong feature size',
      [2, 4, 6],
      "LSTM 'enc': expected shape [?, ?, 5], got [2, 4, 6] (the layer was built for 5 features per step).",
    ],
    [
      'empty sequence',
      [2, 0, 5],
      "LSTM 'enc': expected shape [?, steps ≥ 1, ?], got [2, 0, 5] (an empty sequence).",
    ],
  ])('%s', (_what, shape, message) => {
    const bad = tf.zeros(shape as number[]);
    const before = tf.memory().numTensors;
    expect(() => lstm.apply(bad)).toThrow(ShapeError);
    expect(() => lstm.apply(bad)).toThrow(message);
    expect(() => lstm.forward(bad)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
    bad.dispose();
  });

  it('a mask of the wrong shape; the wrong number or shape of initial states', () => {
    const mask = tf.ones([2, 3]);
    const h = tf.zeros([2, 3]);
    const wide = tf.zeros([2, 4]);
    const before = tf.memory().numTensors;
    expect(() => lstm.forward(x, { mask })).toThrow(
      "LSTM 'enc': expected shape [2, 4], got [2, 3] (the mask is [batch, steps]).",
    );
    expect(() => lstm.forward(x, { initialState: [h] })).toThrow(
      "LSTM 'enc': expected shape 2 initial state(s), each [?, 3], got [1]",
    );
    expect(() => lstm.apply([x, h, wide])).toThrow(
      "LSTM 'enc': expected shape [2, 3], got [2, 4] (an initial state).",
    );
    expect(tf.memory().numTensors).toBe(before);
    dispose(mask, h, wide);
  });

  it('bad arguments', () => {
    expect(() => new LSTM({ units: 0 })).toThrow(RecurrentArgumentError);
    expect(() => new GRU({ units: 2, dropout: 1 })).toThrow('dropout must be a rate in [0, 1), got 1.');
    expect(() => new SimpleRNN({ units: 2, recurrentDropout: -0.1 })).toThrow(RecurrentArgumentError);
  });
});

describe('dropout and recurrent dropout', () => {
  it('are seeded and change only training outputs', async () => {
    const x = tf.randomNormal([8, 5, 4], 0, 1, 'float32', 3);
    const make = (seed: number) => {
      const l = new GRU({ units: 6, dropout: 0.3, recurrentDropout: 0.3, seed });
      l.apply(x).dispose();
      return l;
    };
    const [a, b, c] = [make(1), make(1), make(2)];
    c.setWeights(a.weights.map((w) => w.variable));
    const [ta, tb, tc, ia, plain] = [
      a.apply(x, { training: true }),
      b.apply(x, { training: true }),
      c.apply(x, { training: true }),
      a.apply(x),
      new GRU({ units: 6, seed: 1 }),
    ];
    plain.apply(x).dispose();
    const ip = plain.apply(x);
    expect(Array.from(await read(ta))).toEqual(Array.from(await read(tb))); // same seed, same masks
    expect(Array.from(await read(ta))).not.toEqual(Array.from(await read(tc))); // another seed, other masks
    expect(Array.from(await read(ia))).toEqual(Array.from(await read(ip))); // inference: no dropout
    expect(Array.from(await read(ta))).not.toEqual(Array.from(await read(ia)));
    dispose(x, ta, tb, tc, ia, ip);
    [a, b, c, plain].forEach((l) => l.dispose());
  });
});

describe('goBackwards', () => {
  it('reading backwards equals reading the reversed sequence forwards', async () => {
    const x = tf.randomNormal([2, 6, 3], 0, 1, 'float32', 5);
    const f = new LSTM({ units: 4, seed: 1 });
    const b = new LSTM({ units: 4, seed: 1, goBackwards: true });
    const rev = tf.reverse(x, 1);
    const [yb, yf] = [b.apply(x), f.apply(rev)];
    expect(Array.from(await read(yb))).toEqual(Array.from(await read(yf)));
    dispose(x, rev, yb, yf);
  });
});

describe('in models', () => {
  it('Sequential [Embedding, LSTM, Dense]: config round-trip and safetensors save/load give the same predictions', async () => {
    const model = new Sequential([
      new Embedding({ inputDim: 10, outputDim: 4, seed: 1 }),
      new LSTM({ units: 5, returnSequences: true, seed: 2 }),
      new GRU({ units: 3, seed: 3 }),
      new Dense({ units: 2, seed: 4 }),
    ]);
    const ids = tf.tensor2d(
      [
        [1, 2, 3, 9],
        [0, 5, 5, 7],
      ],
      undefined,
      'int32',
    );
    const y = model.apply(ids);
    expect(y.shape).toEqual([2, 2]);
    const config = model.getConfig();
    const again = modelFromConfig(JSON.parse(JSON.stringify(config)));
    expect(again.getConfig()).toEqual(config);
    const loaded = modelFromBytes(await modelToBytes(model));
    const y2 = loaded.apply(ids);
    expect(Array.from(await read(y2))).toEqual(Array.from(await read(y)));
    expect(loaded.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
    dispose(ids, y, y2);
  });

  it('a graph Model whose LSTM starts from states given as inputs; a training step leaks nothing', async () => {
    const x = input([6, 3], { name: 'seq' });
    const h0 = input([4], { name: 'h0' });
    const c0 = input([4], { name: 'c0' });
    const out = new Dense({ units: 1, seed: 2 }).apply(new LSTM({ units: 4, seed: 1 }).apply([x, h0, c0]));
    const model = new Model({ inputs: [x, h0, c0], outputs: out });
    const xs = [tf.randomNormal([2, 6, 3], 0, 1, 'float32', 1), tf.zeros([2, 4]), tf.ones([2, 4])];
    const y = model.apply(xs);
    const y0 = model.apply([xs[0], xs[1], xs[1]]);
    expect(Array.from(await read(y))).not.toEqual(Array.from(await read(y0))); // the initial cell state matters
    const loaded = modelFromBytes(await modelToBytes(model));
    const y2 = (loaded as Model).apply(xs);
    expect(Array.from(await read(y2))).toEqual(Array.from(await read(y)));
    const vars = model.weights.map((w) => w.variable);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(
        () => tf.mean(tf.square(model.apply(xs, { training: true }))) as tf.Scalar,
        vars,
      );
      tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(0.1, grads[v.name])))));
      dispose(value, Object.values(grads));
    }
    expect(tf.memory().numTensors).toBe(before);
    dispose(xs, y, y0, y2);
  });
});
