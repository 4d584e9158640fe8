// Every recurrent layer through @nutshell/layers' shared harness: shape, weights, config, save/load, gradients
// against finite differences, leaks, freezing.
import { runLayerTest } from '@nutshell/layers';
import { randomNormal, tf } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { Bidirectional, Embedding, GRU, GRUCell, LSTM, LSTMCell, SimpleRNN } from './index.js';

const cellWeights = (f: number, u: number, g: number, bias: number[] = [g * u]) => [
  { name: 'cell/kernel', shape: [f, g * u] },
  { name: 'cell/recurrent_kernel', shape: [u, g * u] },
  { name: 'cell/bias', shape: bias },
];

describe('the recurrent layers pass runLayerTest', () => {
  const x = randomNormal([2, 4, 3], { seed: 1 });

  it('LSTM (returnSequences, dropout in inference)', async () => {
    const r = await runLayerTest({
      make: () => new LSTM({ units: 3, returnSequences: true, dropout: 0.2, seed: 1 }),
      input: x,
      expectedOutputShape: [2, 4, 3],
      expectedWeights: cellWeights(3, 3, 4),
    });
    expect(r.worstGradientError).toBeLessThan(5e-3);
  });
  it('GRU (goBackwards), GRU resetAfter false', async () => {
    await runLayerTest({
      make: () => new GRU({ units: 2, goBackwards: true, seed: 2 }),
      input: x,
      expectedOutputShape: [2, 2],
      expectedWeights: cellWeights(3, 2, 3, [2, 6]),
    });
    await runLayerTest({
      make: () => new GRU({ units: 2, resetAfter: false, seed: 2 }),
      input: x,
      expectedOutputShape: [2, 2],
      expectedWeights: cellWeights(3, 2, 3),
    });
  });
  it('SimpleRNN', async () => {
    await runLayerTest({
      make: () => new SimpleRNN({ units: 4, seed: 3 }),
      input: x,
      expectedOutputShape: [2, 4],
      expectedWeights: cellWeights(3, 4, 1),
    });
  });
  it('Bidirectional(LSTM)', async () => {
    const w = cellWeights(3, 2, 4);
    await runLayerTest({
      make: () => new Bidirectional({ layer: new LSTM({ units: 2, seed: 4 }) }),
      input: x,
      expectedOutputShape: [2, 4],
      expectedWeights: [
        ...w.map((v) => ({ ...v, name: `forward/${v.name}` })),
        ...w.map((v) => ({ ...v, name: `backward/${v.name}` })),
      ],
    });
  });
  it('Embedding (integer ids: no input gradient)', async () => {
    const ids = tf.tensor2d(
      [
        [1, 4, 0],
        [2, 2, 3],
      ],
      undefined,
      'int32',
    );
    await runLayerTest({
      make: () => new Embedding({ inputDim: 5, outputDim: 3, seed: 5 }),
      input: ids,
      inputGradients: false,
      expectedOutputShape: [2, 3, 3],
      expectedWeights: [{ name: 'embeddings', shape: [5, 3] }],
    });
    ids.dispose();
  });
  it('LSTMCell and GRUCell on [x, h, (c)]', async () => {
    const [xt, h, c] = [
      randomNormal([2, 3], { seed: 6 }),
      randomNormal([2, 2], { seed: 7 }),
      randomNormal([2, 2], { seed: 8 }),
    ];
    await runLayerTest({
      make: () => new LSTMCell({ units: 2, seed: 1 }),
      input: [xt, h, c],
      expectedOutputShape: [2, 2],
    });
    await runLayerTest({
      make: () => new GRUCell({ units: 2, seed: 1 }),
      input: [xt, h],
      expectedOutputShape: [2, 2],
    });
    tf.dispose([xt, h, c]);
  });
});
