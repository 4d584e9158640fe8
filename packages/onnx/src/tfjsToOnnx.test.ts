// The whole way through: a CNN saved by @tensorflow/tfjs-layers, brought into Nutshell (loadTfjsModel, conv layers
// by their registered names), exported to ONNX and run in ONNX Runtime; all three give the same numbers.
import '@nutshell/conv';
import '@nutshell/recurrent';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTfjsModel, TfjsModelError } from '@nutshell/layers';
import { randomNormal, tf, type Tensor } from '@nutshell/tensor';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './exportOnnx.js';
import { maxRelDiff, runOnnx } from './test-utils/onnxRuntime.js';

const tmp = mkdtempSync(join(tmpdir(), 'nutshell-tfjs-onnx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Saves as tfjs's file handlers do: model.json + one weight shard. Returns model.json's path. */
async function saveTfjs(model: tfl.LayersModel, name: string): Promise<string> {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      const weightsManifest = [{ paths: ['weights.bin'], weights: a.weightSpecs }];
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          modelTopology: a.modelTopology,
          format: a.format,
          generatedBy: a.generatedBy,
          weightsManifest,
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return join(dir, 'model.json');
}

async function sameEverywhere(
  m: tfl.LayersModel,
  name: string,
  sample: number[],
  input?: Tensor,
): Promise<void> {
  const model = await loadTfjsModel(await saveTfjs(m, name));
  const x = input ?? randomNormal([3, ...sample], { seed: 5 });
  const theirs = m.predict(x) as Tensor;
  const ours = model.predict(x);
  const onnx = await runOnnx(await exportOnnx(model), { input: x });
  const t = (await theirs.data()) as Float32Array;
  expect(maxRelDiff((await ours.data()) as Float32Array, t)).toBeLessThan(1e-5);
  expect(maxRelDiff(onnx.output.data, t)).toBeLessThan(1e-5);
  tf.dispose([x, theirs, ours]);
  model.dispose();
  m.dispose();
}

describe('tfjs-layers → Nutshell → ONNX Runtime', () => {
  it('a 2-D CNN: Conv2D (same, strides, dilation), DepthwiseConv2D, SeparableConv2D, pools, BatchNormalization', async () => {
    const m = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          filters: 4,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
          inputShape: [9, 9, 2],
        }),
        tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
        tfl.layers.batchNormalization(),
        tfl.layers.separableConv2d({ filters: 5, kernelSize: 2, activation: 'tanh' }),
        tfl.layers.conv2d({ filters: 3, kernelSize: 2, dilationRate: 2, padding: 'same' }),
        tfl.layers.maxPooling2d({ poolSize: 2, strides: 1 }),
        tfl.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const bn = m.layers[2];
    const stats = bn
      .getWeights()
      .map((w, i) => tf.add(tf.randomUniform(w.shape, 0.5, 1.5, 'float32', i + 1), i === 2 ? -1 : 0));
    bn.setWeights(stats);
    tf.dispose(stats);
    await sameEverywhere(m, 'cnn2d', [9, 9, 2]);
  });

  it('a 1-D CNN: Conv1D, MaxPooling1D, AveragePooling1D, GlobalMaxPooling1D', async () => {
    const m = tfl.sequential({
      layers: [
        tfl.layers.conv1d({
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          activation: 'elu',
          inputShape: [12, 2],
        }),
        tfl.layers.maxPooling1d({ poolSize: 2 }),
        tfl.layers.conv1d({ filters: 3, kernelSize: 2, dilationRate: 2 }),
        tfl.layers.averagePooling1d({ poolSize: 2, padding: 'same' }),
        tfl.layers.globalMaxPooling1d({}),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    await sameEverywhere(m, 'cnn1d', [12, 2]);
  });

  it('recurrent: Embedding → LSTM (sequences) → GRU, and a backwards SimpleRNN', async () => {
    // recurrentInitializer: tfjs's default (orthogonal) calls tfjs's chained ops (`x.flatten()`), which the engine
    // as Nutshell sets it up does not register; the initial values do not matter here.
    const m = tfl.sequential({
      layers: [
        tfl.layers.embedding({ inputDim: 9, outputDim: 4, inputLength: 5, inputShape: [5] }),
        tfl.layers.lstm({
          units: 3,
          recurrentActivation: 'sigmoid',
          returnSequences: true,
          recurrentInitializer: 'glorotNormal',
        }),
        tfl.layers.gru({
          units: 3,
          recurrentActivation: 'sigmoid',
          returnSequences: true,
          recurrentInitializer: 'glorotNormal',
        }),
        tfl.layers.simpleRNN({ units: 2, goBackwards: true, recurrentInitializer: 'glorotNormal' }),
      ],
    });
    // Non-zero biases everywhere, so a misplaced bias block cannot pass.
    for (const l of m.layers) {
      const ws = l
        .getWeights()
        .map((w, i) =>
          w.shape.length === 1 ? tf.randomUniform(w.shape, -0.5, 0.5, 'float32', i + 7) : tf.clone(w),
        );
      l.setWeights(ws);
      tf.dispose(ws);
    }
    const ids = tf.tensor2d(
      [
        [0, 1, 2, 3, 4],
        [8, 7, 6, 5, 0],
        [2, 2, 2, 2, 2],
      ],
      [3, 5],
      'float32',
    );
    await sameEverywhere(m, 'rnn', [5], ids);
    ids.dispose();
  });

  it("tfjs's default LSTM gate activation (its hard_sigmoid) is refused, naming the layer", async () => {
    const m = tfl.sequential({
      layers: [
        tfl.layers.lstm({
          units: 2,
          inputShape: [3, 2],
          name: 'default_gates',
          recurrentInitializer: 'glorotNormal',
        }),
      ],
    });
    const path = await saveTfjs(m, 'hard');
    m.dispose();
    await expect(loadTfjsModel(path)).rejects.toThrow(TfjsModelError);
    await expect(loadTfjsModel(path)).rejects.toThrow(
      /layer 'default_gates' \(LSTM\) cannot be mapped to a Nutshell layer: activation 'hard_sigmoid'/,
    );
  });
});
