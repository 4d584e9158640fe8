// @nutshell/recurrent's layers exported to ONNX's RNN, LSTM and GRU ops and run in ONNX Runtime.
import { Dense, Sequential, type Layer } from '@nutshell/layers';
import { Bidirectional, Embedding, GRU, LSTM, SimpleRNN } from '@nutshell/recurrent';
import { tf } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './exportOnnx.js';
import { UnsupportedLayerError } from './errors.js';
import { expectSameAsOnnx, maxRelDiff, runOnnx } from './test-utils/onnxRuntime.js';

const seq = (layers: Layer[], sample: number[]) => new Sequential(layers, { inputShape: sample });

describe('exportOnnx: recurrent layers', () => {
  const cases: [string, () => Layer[]][] = [
    ['SimpleRNN (tanh), last output', () => [new SimpleRNN({ units: 4, seed: 1 })]],
    [
      'SimpleRNN (relu), sequences, backwards',
      () => [
        new SimpleRNN({ units: 3, activation: 'relu', returnSequences: true, goBackwards: true, seed: 1 }),
      ],
    ],
    [
      'LSTM, sequences then last',
      () => [new LSTM({ units: 4, returnSequences: true, seed: 2 }), new LSTM({ units: 3, seed: 3 })],
    ],
    ['LSTM backwards, no bias', () => [new LSTM({ units: 3, goBackwards: true, useBias: false, seed: 2 })]],
    ['GRU (reset after), sequences', () => [new GRU({ units: 4, returnSequences: true, seed: 4 })]],
    ['GRU (reset before), last', () => [new GRU({ units: 3, resetAfter: false, seed: 5 })]],
    [
      'Bidirectional LSTM concat, sequences',
      () => [new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true, seed: 6 }) })],
    ],
    [
      'Bidirectional GRU ave, sequences; Bidirectional SimpleRNN sum, last',
      () => [
        new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true, seed: 7 }), mergeMode: 'ave' }),
        new Bidirectional({ layer: new SimpleRNN({ units: 2, seed: 8 }), mergeMode: 'sum' }),
      ],
    ],
  ];
  for (const [title, make] of cases) {
    it(title, async () => {
      // Non-zero biases, so a misplaced bias block cannot pass.
      const model = seq([...make(), new Dense({ units: 2, seed: 9 })], [5, 3]);
      for (const l of model.layers) {
        const vs = l.weights.map((w, i) =>
          w.name.endsWith('bias')
            ? tf.randomUniform(w.variable.shape, -0.5, 0.5, 'float32', i + 3)
            : tf.clone(w.variable),
        );
        l.setWeights(vs);
        tf.dispose(vs);
      }
      await expectSameAsOnnx(model, [5, 3]);
    });
  }

  it('Embedding → LSTM on integer ids given as float32', async () => {
    const model = seq(
      [new Embedding({ inputDim: 7, outputDim: 4, seed: 1 }), new LSTM({ units: 3, seed: 2 })],
      [6],
    );
    const ids = tf.tensor2d(
      [
        [0, 1, 2, 3, 4, 5],
        [6, 6, 0, 1, 2, 2],
      ],
      [2, 6],
      'float32',
    );
    const y = model.predict(ids);
    const out = await runOnnx(await exportOnnx(model), { input: ids });
    expect(maxRelDiff(out.output.data, (await y.data()) as Float32Array)).toBeLessThan(1e-5);
    tf.dispose([ids, y]);
  });

  it('a recurrent activation ONNX has no form for: UnsupportedLayerError naming the layer', async () => {
    const model = seq([new SimpleRNN({ units: 2, activation: 'gelu', seed: 1, name: 'odd_rnn' })], [4, 2]);
    await expect(exportOnnx(model)).rejects.toThrow(UnsupportedLayerError);
    await expect(exportOnnx(model)).rejects.toThrow(
      /layer 'odd_rnn' \(SimpleRNN\) cannot be exported to ONNX: activation 'gelu' in a recurrent cell/,
    );
  });
});
