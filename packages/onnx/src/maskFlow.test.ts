// A padding mask that a layer would read cannot be exported (an ONNX graph carries no mask): refused, naming both
// layers; one that only passes through or is dropped exports, and the exported model matches on padded input.
import { GlobalAvgPool1D, GlobalMaxPool1D } from '@nutshell/conv';
import { Dense, Flatten, Model, Sequential, input } from '@nutshell/layers';
import { Embedding, LSTM } from '@nutshell/recurrent';
import { numTensors, tf } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { UnsupportedLayerError } from './errors.js';
import { exportOnnx } from './exportOnnx.js';
import { maxRelDiff, runOnnx } from './test-utils/onnxRuntime.js';

const embed = (paddingIndex?: number) =>
  new Embedding({ inputDim: 6, outputDim: 3, paddingIndex, seed: 1, name: 'words' });

// Two sequences of 5 ids; the second is padded with id 0 after two real steps.
const padded = () =>
  tf.tensor2d(
    [
      [1, 2, 3, 4, 5],
      [3, 1, 0, 0, 0],
    ],
    [2, 5],
  );

describe('exportOnnx: padding masks', () => {
  it('refuses a recurrent layer that would skip padded steps, naming it and the Embedding', async () => {
    const model = new Sequential(
      [embed(0), new LSTM({ units: 2, seed: 2, name: 'reader' }), new Dense({ units: 1 })],
      {
        inputShape: [5],
      },
    );
    const before = numTensors();
    await expect(exportOnnx(model)).rejects.toThrow(UnsupportedLayerError);
    await expect(exportOnnx(model)).rejects.toThrow(
      /layer 'reader' \(LSTM\) cannot be exported to ONNX: it reads the padding mask of Embedding 'words' \(paddingIndex\)/,
    );
    expect(numTensors()).toBe(before);
    model.dispose();
  });

  it('follows the mask through a per-step Dense to a 1-D global pool, and through a graph Model', async () => {
    const seq = new Sequential(
      [embed(0), new Dense({ units: 4, seed: 3 }), new GlobalAvgPool1D({ name: 'pool' })],
      {
        inputShape: [5],
      },
    );
    await expect(exportOnnx(seq)).rejects.toThrow(/layer 'pool' \(GlobalAvgPool1D\).*Embedding 'words'/);
    const ids = input([5]);
    const e = embed(0).apply(ids);
    const model = new Model({
      inputs: ids,
      outputs: [
        new GlobalMaxPool1D({ name: 'max' }).apply(new Dense({ units: 2, seed: 4 }).apply(e)),
        new Flatten().apply(e),
      ],
    });
    await expect(exportOnnx(model)).rejects.toThrow(/layer 'max' \(GlobalMaxPool1D\)/);
    seq.dispose();
  });

  it('exports a mask that no layer reads (Flatten drops it), and the ONNX model matches on padded input', async () => {
    const model = new Sequential([embed(0), new Flatten(), new Dense({ units: 2, seed: 5 })], {
      inputShape: [5],
    });
    const x = padded();
    const y = model.predict(x);
    const out = await runOnnx(await exportOnnx(model), { input: x });
    expect(maxRelDiff(out.output.data, (await y.data()) as Float32Array)).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('without paddingIndex there is no mask: Embedding → GlobalAvgPool1D exports and matches', async () => {
    const model = new Sequential([embed(undefined), new GlobalAvgPool1D()], { inputShape: [5] });
    const x = padded();
    const y = model.predict(x);
    const out = await runOnnx(await exportOnnx(model), { input: x });
    expect(maxRelDiff(out.output.data, (await y.data()) as Float32Array)).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    model.dispose();
  });
});
