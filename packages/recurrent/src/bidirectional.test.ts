import { describe, expect, it } from 'vitest';
import { modelFromBytes, modelToBytes, Sequential, Dense, layerFromConfig } from '@nutshell/layers';
import { read, tf } from '@nutshell/tensor';
import { Bidirectional, GRU, LSTM, RecurrentArgumentError } from './index.js';
import { cube, matrix, runReference, values } from './test-utils/reference.js';

describe('Bidirectional', () => {
  it('concat of the forward run and the time-reversed backward run, against the float64 reference', async () => {
    const [B, T, F, U] = [2, 4, 3, 2];
    const bi = new Bidirectional({ layer: new LSTM({ units: U, returnSequences: true }) });
    const xs = values(B * T * F, 31);
    const x = tf.tensor3d(xs, [B, T, F]);
    bi.apply(x).dispose();
    expect(bi.weights.map((w) => w.name.slice(bi.name.length + 1))).toEqual([
      'forward/cell/kernel',
      'forward/cell/recurrent_kernel',
      'forward/cell/bias',
      'backward/cell/kernel',
      'backward/cell/recurrent_kernel',
      'backward/cell/bias',
    ]);
    const w = [[F, 4 * U], [U, 4 * U], [4 * U]].map((s, i) =>
      values(
        s.reduce((a, b) => a * b),
        40 + i,
        0.5,
      ),
    );
    const v = [[F, 4 * U], [U, 4 * U], [4 * U]].map((s, i) =>
      values(
        s.reduce((a, b) => a * b),
        50 + i,
        0.5,
      ),
    );
    const tensors = [...w, ...v].map((a, i) => tf.tensor(a, [[F, 4 * U], [U, 4 * U], [4 * U]][i % 3]));
    bi.setWeights(tensors);
    const y = bi.apply(x);
    expect(y.shape).toEqual([B, T, 2 * U]);
    const ref = (p: number[][], back: boolean) =>
      runReference(
        'lstm',
        cube(xs, B, T, F),
        { kernel: matrix(p[0], F, 4 * U), recurrent: matrix(p[1], U, 4 * U), bias: p[2] },
        { units: U, returnSequences: true, goBackwards: back },
      ).output;
    const [f, b] = [ref(w, false), ref(v, true)];
    const got = await read(y);
    for (let n = 0; n < B; n++)
      for (let t = 0; t < T; t++)
        for (let j = 0; j < U; j++) {
          expect(got[(n * T + t) * 2 * U + j]).toBeCloseTo(f[(n * T + t) * U + j], 5);
          expect(got[(n * T + t) * 2 * U + U + j]).toBeCloseTo(b[(n * T + (T - 1 - t)) * U + j], 5); // backward output of step t
        }
    tf.dispose([x, y, ...tensors]);
    bi.dispose();
  });

  it('merge modes; config round-trip and save/load in a Sequential', async () => {
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 7);
    const model = new Sequential([
      new Bidirectional({ layer: new GRU({ units: 4, seed: 1 }), mergeMode: 'ave' }),
      new Dense({ units: 1, seed: 2 }),
    ]);
    const y = model.apply(x);
    expect(model.layers[0].computeOutputShape([null, 5, 3])).toEqual([null, 4]);
    const again = layerFromConfig(JSON.parse(JSON.stringify(model.layers[0].getConfig())));
    expect(again.getConfig()).toEqual({ ...model.layers[0].getConfig(), name: again.name });
    const loaded = modelFromBytes(await modelToBytes(model));
    const y2 = loaded.apply(x);
    expect(Array.from(await read(y2))).toEqual(Array.from(await read(y)));
    expect(() => new Bidirectional({ layer: new GRU({ units: 2 }), mergeMode: 'max' as 'sum' })).toThrow(
      RecurrentArgumentError,
    );
    expect(() => new Bidirectional({ layer: new Dense({ units: 2 }).getConfig() })).toThrow(
      RecurrentArgumentError,
    );
    tf.dispose([x, y, y2]);
  });
});
