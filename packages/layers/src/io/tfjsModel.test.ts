import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numTensors, randomNormal, tf, type Tensor } from '@nutshell/tensor';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { Model } from '../models/Model.js';
import { Sequential } from '../models/Sequential.js';
import { loadTfjsModel, modelFromTfjs, TfjsModelError, type TfjsModelJson } from './tfjsModel.js';

const tmp = mkdtempSync(join(tmpdir(), 'nutshell-tfjs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Saves a tfjs-layers model the way tfjs's file handlers do: model.json with a weightsManifest, the weights split
 * into two shards at an arbitrary byte (as the converter splits at 4 MB). Returns model.json's path.
 */
async function saveTfjs(model: tfl.LayersModel, name: string): Promise<string> {
  const dir = join(tmp, name);
  let path = '';
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const bytes = new Uint8Array(a.weightData as ArrayBuffer);
      const cut = Math.floor(bytes.length / 2) + 1;
      const { mkdirSync } = await import('node:fs');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, cut));
      writeFileSync(join(dir, 'group1-shard2of2.bin'), bytes.subarray(cut));
      const json = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy ?? null,
        weightsManifest: [
          { paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: a.weightSpecs },
        ],
      };
      path = join(dir, 'model.json');
      writeFileSync(path, JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return path;
}

function maxDiff(a: Tensor, b: Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

// BatchNormalization's moving statistics away from 0 and 1, so a mix-up of the four weights cannot pass.
function randomiseBatchNorm(layer: tfl.layers.Layer): void {
  const ws = layer
    .getWeights()
    .map((w, i) =>
      tf.add(tf.mul(tf.randomUniform(w.shape, 0.5, 1.5, 'float32', i + 1), 1), i === 2 ? -1 : 0),
    );
  layer.setWeights(ws);
  tf.dispose(ws);
}

describe('loadTfjsModel: models saved by @tensorflow/tfjs-layers 4.22', () => {
  it('a Sequential MLP (Dense, BatchNormalization, Dropout, activations, Reshape, Flatten) predicts the same', async () => {
    const m = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 8, activation: 'relu', inputShape: [6] }),
        tfl.layers.batchNormalization(),
        tfl.layers.dropout({ rate: 0.3 }),
        tfl.layers.dense({ units: 6, activation: 'elu' }),
        tfl.layers.reshape({ targetShape: [3, 2] }),
        tfl.layers.layerNormalization(),
        tfl.layers.flatten(),
        tfl.layers.activation({ activation: 'tanh' }),
        tfl.layers.dense({ units: 3, activation: 'softmax', useBias: false }),
      ],
    });
    randomiseBatchNorm(m.layers[1]);
    const model = await loadTfjsModel(await saveTfjs(m, 'mlp'));
    expect(model).toBeInstanceOf(Sequential);
    expect(model.layers.map((l) => l.className)).toEqual([
      'Dense',
      'BatchNormalization',
      'Dropout',
      'Dense',
      'Reshape',
      'LayerNormalization',
      'Flatten',
      'Activation',
      'Dense',
    ]);
    expect(model.layers[0].name).toBe(m.layers[0].name);
    expect(model.countParams()).toBe(m.countParams());
    const x = randomNormal([5, 6], { seed: 1 });
    const ours = model.predict(x);
    const theirs = m.predict(x) as Tensor;
    expect(maxDiff(ours, theirs)).toBeLessThan(1e-5);
    tf.dispose([x, ours, theirs]);
    model.dispose();
    m.dispose();
  });

  it('a functional model with two inputs, Concatenate, Add, Multiply and a layer applied twice', async () => {
    const a = tfl.input({ shape: [4], name: 'a' });
    const b = tfl.input({ shape: [4], name: 'b' });
    const shared = tfl.layers.dense({ units: 5, activation: 'sigmoid', name: 'shared' });
    const ha = shared.apply(a) as tfl.SymbolicTensor;
    const hb = shared.apply(b) as tfl.SymbolicTensor;
    const sum = tfl.layers.add().apply([ha, hb]) as tfl.SymbolicTensor;
    const prod = tfl.layers.multiply().apply([ha, hb]) as tfl.SymbolicTensor;
    const joined = tfl.layers.concatenate().apply([sum, prod]) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 2, name: 'out' }).apply(joined) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: [a, b], outputs: out });
    const model = await loadTfjsModel(await saveTfjs(m, 'graph'));
    expect(model).toBeInstanceOf(Model);
    const xa = randomNormal([3, 4], { seed: 2 });
    const xb = randomNormal([3, 4], { seed: 3 });
    const ours = (model as Model).apply([xa, xb]);
    const theirs = m.predict([xa, xb]) as Tensor;
    expect(maxDiff(ours, theirs)).toBeLessThan(1e-5);
    tf.dispose([xa, xb, ours, theirs]);
    model.dispose();
    m.dispose();
  });
});

describe('loadTfjsModel: bad input', () => {
  async function savedMlp(name: string, extra?: tfl.layers.Layer): Promise<string> {
    const m = tfl.sequential({
      layers: [tfl.layers.dense({ units: 3, inputShape: [2], name: 'first' }), ...(extra ? [extra] : [])],
    });
    const path = await saveTfjs(m, name);
    m.dispose();
    return path;
  }

  it('an unknown layer: TfjsModelError naming it and its class, no tensor leaked', async () => {
    const path = await savedMlp('unknown', tfl.layers.repeatVector({ n: 2, name: 'repeat' }));
    const before = numTensors();
    const err = await loadTfjsModel(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TfjsModelError);
    expect((err as TfjsModelError).layer).toBe('repeat');
    expect((err as Error).message).toMatch(
      /^tfjs model: layer 'repeat' \(RepeatVector\) cannot be mapped to a Nutshell layer: no Nutshell layer for class 'RepeatVector' \(mapped: .*Conv2D.*Dense.*\)\.$/,
    );
    expect(numTensors()).toBe(before);
  });

  it('a missing shard: TfjsModelError naming the shard and the weights in it, no tensor leaked', async () => {
    const path = await savedMlp('shard');
    unlinkSync(join(tmp, 'shard', 'group1-shard2of2.bin'));
    const before = numTensors();
    await expect(loadTfjsModel(path)).rejects.toThrow(
      new TfjsModelError(
        "tfjs model: weight shard 'group1-shard2of2.bin' is missing; it holds first/kernel, first/bias.",
      ),
    );
    expect(numTensors()).toBe(before);
  });

  it('a truncated shard, an activation that means something else, a conv layer without @nutshell/conv', async () => {
    const path = await savedMlp('short');
    writeFileSync(join(tmp, 'short', 'group1-shard2of2.bin'), new Uint8Array(2));
    // 9 float32 weights = 36 bytes, cut after 19; the second shard now holds 2 bytes instead of 17
    await expect(loadTfjsModel(path)).rejects.toThrow(
      "tfjs model: shards group1-shard1of2.bin, group1-shard2of2.bin hold 21 bytes, too few for weight 'first/kernel' (needs bytes 0..24).",
    );
    const hard = await savedMlp('hard', tfl.layers.activation({ activation: 'hardSigmoid', name: 'gate' }));
    await expect(loadTfjsModel(hard)).rejects.toThrow(
      /^tfjs model: layer 'gate' \(Activation\) cannot be mapped to a Nutshell layer: activation 'hard_sigmoid' \(tfjs: clip/,
    );
    const conv = tfl.sequential({
      layers: [tfl.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1], name: 'c' })],
    });
    const convPath = await saveTfjs(conv, 'conv');
    conv.dispose();
    await expect(loadTfjsModel(convPath)).rejects.toThrow(
      "tfjs model: layer 'c' (Conv2D) cannot be mapped to a Nutshell layer: Nutshell's 'Conv2D' is not registered: import '@nutshell/conv' (it registers the convolution and pooling layers).",
    );
  });

  it('an LSTM without @nutshell/recurrent imported: the error says to import it', async () => {
    const m = tfl.sequential({
      layers: [
        tfl.layers.lstm({
          units: 2,
          recurrentActivation: 'sigmoid',
          inputShape: [3, 2],
          name: 'seq',
          recurrentInitializer: 'glorotNormal',
        }),
      ],
    });
    const path = await saveTfjs(m, 'lstm');
    m.dispose();
    await expect(loadTfjsModel(path)).rejects.toThrow(
      "tfjs model: layer 'seq' (LSTM) cannot be mapped to a Nutshell layer: Nutshell's 'LSTM' is not registered: import '@nutshell/recurrent' (it registers the recurrent layers).",
    );
  });

  it('a file that is not JSON, or JSON that is not a tfjs-layers model', () => {
    expect(() => modelFromTfjs('{"modelTopology": ', new Map())).toThrow(
      /^tfjs model: model.json is not valid JSON \(/,
    );
    expect(() =>
      modelFromTfjs({ modelTopology: {}, weightsManifest: [] } as TfjsModelJson, new Map()),
    ).toThrow(/not a tfjs-layers model.json/);
  });
});
