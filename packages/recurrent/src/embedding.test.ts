import { describe, expect, it } from 'vitest';
import { DTypeError, read, tf } from '@nutshell/tensor';
import { Embedding, EmbeddingIndexError, LSTM, RecurrentArgumentError } from './index.js';

describe('Embedding', () => {
  it('looks up rows of its table: [batch, steps] ids → [batch, steps, outputDim]', async () => {
    const e = new Embedding({ inputDim: 4, outputDim: 2 });
    const ids = tf.tensor2d(
      [
        [3, 0],
        [1, 3],
      ],
      undefined,
      'int32',
    );
    e.apply(ids).dispose();
    const table = tf.tensor2d([
      [0, 1],
      [10, 11],
      [20, 21],
      [30, 31],
    ]);
    e.setWeights([table]);
    const y = e.apply(ids);
    expect(y.shape).toEqual([2, 2, 2]);
    expect(Array.from(await read(y))).toEqual([30, 31, 0, 1, 10, 11, 30, 31]);
    tf.dispose([ids, table, y]);
    e.dispose();
  });

  it('its gradient is the sum of the output gradients of every position that used the row', async () => {
    const e = new Embedding({ inputDim: 3, outputDim: 1, embeddingsInitializer: 'zeros' });
    const ids = tf.tensor2d([[2, 2, 0]], undefined, 'int32');
    e.apply(ids).dispose();
    const r = tf.tensor3d([[[1], [10], [100]]]);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(r, e.apply(ids))) as tf.Scalar,
      [e.weights[0].variable],
    );
    expect(Array.from(await read(grads[e.weights[0].variable.name]))).toEqual([100, 0, 11]);
    tf.dispose([ids, r, value, ...Object.values(grads)]);
    e.dispose();
  });

  it('computeMask marks the padding index 0', async () => {
    const e = new Embedding({ inputDim: 5, outputDim: 2, paddingIndex: 0 });
    const ids = tf.tensor2d([[4, 2, 0, 0]], undefined, 'int32');
    const m = e.computeMask(ids);
    expect(Array.from(await read(m))).toEqual([1, 1, 0, 0]);
    tf.dispose([ids, m]);
  });

  it('with the mask, an LSTM ignores padding: [a, b, pad, pad] ends where [a, b] ends', async () => {
    const e = new Embedding({ inputDim: 5, outputDim: 3, paddingIndex: 0, seed: 1 });
    const lstm = new LSTM({ units: 4, seed: 2 });
    const padded = tf.tensor2d([[4, 2, 0, 0]], undefined, 'int32');
    const short = tf.tensor2d([[4, 2]], undefined, 'int32');
    const [xp, xs, m] = [e.apply(padded), e.apply(short), e.computeMask(padded)];
    const a = lstm.forward(xp, { mask: m });
    const b = lstm.forward(xs);
    const [va, vb] = [await read(a.output), await read(b.output)];
    va.forEach((v, i) => expect(v).toBeCloseTo(vb[i], 6));
    const [ca, cb] = [await read(a.states[1]), await read(b.states[1])];
    ca.forEach((v, i) => expect(v).toBeCloseTo(cb[i], 6));
    const unmasked = lstm.forward(xp);
    expect(Math.abs((await read(unmasked.output))[0] - va[0])).toBeGreaterThan(1e-4); // the padding would have changed it
    tf.dispose([
      padded,
      short,
      xp,
      xs,
      m,
      a.output,
      ...a.states,
      b.output,
      ...b.states,
      unmasked.output,
      ...unmasked.states,
    ]);
  });

  it('refuses ids out of range, non-integer ids and bool ids, with typed errors and no leak', () => {
    const e = new Embedding({ inputDim: 3, outputDim: 2, name: 'emb' });
    const ok = tf.tensor2d([[0, 1]], undefined, 'int32');
    e.apply(ok).dispose();
    const big = tf.tensor2d([[0, 3]], undefined, 'int32');
    const neg = tf.tensor2d([[-1, 0]], undefined, 'int32');
    const frac = tf.tensor2d([[0, 1.5]]);
    const bool = tf.tensor2d([[true, false]], undefined, 'bool');
    const before = tf.memory().numTensors;
    expect(() => e.apply(big)).toThrow(new EmbeddingIndexError("Embedding 'emb'", 3, 1, 3));
    expect(() => e.apply(big)).toThrow(
      "Embedding 'emb': id 3 at flat position 1 is out of range [0, 2]; ids must be integers in [0, 2].",
    );
    expect(() => e.apply(neg)).toThrow(EmbeddingIndexError);
    expect(() => e.apply(frac)).toThrow("Embedding 'emb': id 1.5 at flat position 1 is not an integer");
    expect(() => e.apply(bool)).toThrow(DTypeError);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new Embedding({ inputDim: 0, outputDim: 2 })).toThrow(RecurrentArgumentError);
    expect(() => new Embedding({ inputDim: 3, outputDim: 2, paddingIndex: 3 })).toThrow(
      'paddingIndex must be an integer in [0, 2], got 3',
    );
    tf.dispose([ok, big, neg, frac, bool]);
    e.dispose();
  });
});
