// Padding masks passed from layer to layer by Sequential and Model: an Embedding with a padding id makes one, a
// recurrent layer with returnSequences (and a per-step Dense) passes it on, the last recurrent layer consumes it.
import { describe, expect, it } from 'vitest';
import { Dense, input, Model, Sequential } from '@nutshell/layers';
import { read, ShapeError, tf, type Tensor } from '@nutshell/tensor';
import { Bidirectional, Embedding, GRU, LSTM } from './index.js';

const dispose = (...ts: (Tensor | Tensor[])[]) => tf.dispose(ts.flat());

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `entry ${i}`).toBeLessThan(tol);
}

describe('mask propagation', () => {
  // Row 0 is [3, 1, 4] padded with two zeros; row 1 has no padding.
  const padded = [
    [3, 1, 4, 0, 0],
    [2, 7, 1, 8, 2],
  ];

  it('Sequential [Embedding(paddingIndex), LSTM(returnSequences), Dense, GRU]: a padded row equals its unpadded sequence', async () => {
    const model = new Sequential(
      [
        new Embedding({ inputDim: 10, outputDim: 4, paddingIndex: 0, seed: 1 }),
        new LSTM({ units: 5, returnSequences: true, seed: 2 }),
        new Dense({ units: 3, activation: 'tanh', seed: 3 }), // per step: keeps [batch, steps], so the mask passes
        new GRU({ units: 2, seed: 4 }),
      ],
      { inputShape: [null] },
    );
    const ids = tf.tensor2d(padded, undefined, 'int32');
    const short = tf.tensor2d([[3, 1, 4]], undefined, 'int32');
    const y = model.apply(ids);
    const yShort = model.apply(short);
    const yv = await read(y);
    close(yv.slice(0, 2), await read(yShort));

    // Without the padding id the zeros are read as ids, and the padded row's answer changes.
    const noMask = new Sequential(
      [
        new Embedding({ inputDim: 10, outputDim: 4, seed: 1 }),
        new LSTM({ units: 5, returnSequences: true, seed: 2 }),
        new Dense({ units: 3, activation: 'tanh', seed: 3 }),
        new GRU({ units: 2, seed: 4 }),
      ],
      { inputShape: [null] },
    );
    const yNoMask = noMask.apply(ids);
    const yn = await read(yNoMask);
    expect(Math.abs(yn[0] - yv[0]) + Math.abs(yn[1] - yv[1])).toBeGreaterThan(1e-4);
    close(yn.slice(2), yv.slice(2)); // the unpadded row is the same either way
    dispose(ids, short, y, yShort, yNoMask);
    model.dispose();
    noMask.dispose();
  });

  it('Bidirectional(LSTM) after an Embedding: both directions skip the padding', async () => {
    const model = new Sequential(
      [
        new Embedding({ inputDim: 10, outputDim: 4, paddingIndex: 0, seed: 1 }),
        new Bidirectional({ layer: new LSTM({ units: 3, seed: 2 }) }),
      ],
      { inputShape: [null] },
    );
    const ids = tf.tensor2d(padded, undefined, 'int32');
    const short = tf.tensor2d([[3, 1, 4]], undefined, 'int32');
    const [y, yShort] = [model.apply(ids), model.apply(short)];
    close((await read(y)).slice(0, 6), await read(yShort));
    dispose(ids, short, y, yShort);
    model.dispose();
  });

  it('a graph Model gets the same mask as forward({ mask }) by hand, and training through it leaks nothing', async () => {
    const ids = input([5], { name: 'ids' });
    const embed = new Embedding({ inputDim: 10, outputDim: 4, paddingIndex: 0, seed: 1 });
    const first = new LSTM({ units: 3, returnSequences: true, seed: 2 });
    const second = new LSTM({ units: 3, seed: 3 });
    const model = new Model({ inputs: ids, outputs: second.apply(first.apply(embed.apply(ids))) });
    const x = tf.tensor2d(padded, undefined, 'int32');
    const y = model.apply(x);
    const mask = embed.computeMask(x);
    const e = embed.apply(x);
    const a = first.forward(e, { mask });
    const b = second.forward(a.output, { mask });
    close(await read(y), await read(b.output));
    const vars = model.weights.map((w) => w.variable);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(
      () => tf.sum(model.apply(x, { training: true })) as tf.Scalar,
      vars,
    );
    dispose(value, Object.values(grads));
    expect(tf.memory().numTensors).toBe(before);
    dispose(x, y, mask, e, a.output, a.states, b.output, b.states);
    model.dispose();
  });

  it('a mask of the wrong shape given to apply is a ShapeError naming the layer, leaking nothing', () => {
    const lstm = new LSTM({ units: 2, name: 'reader' });
    const x = tf.zeros([2, 4, 3]);
    const mask = tf.ones([2, 5]);
    lstm.apply(x).dispose(); // builds the weights
    const before = tf.memory().numTensors;
    expect(() => lstm.apply(x, { mask })).toThrow(ShapeError);
    expect(() => lstm.apply(x, { mask })).toThrow(
      "LSTM 'reader': expected shape [2, 4], got [2, 5] (the mask is [batch, steps]).",
    );
    expect(tf.memory().numTensors).toBe(before);
    dispose(x, mask);
    lstm.dispose();
  });
});
