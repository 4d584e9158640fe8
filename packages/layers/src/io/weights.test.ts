import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NutshellError, Rng, numTensors, randomNormal, tf, type Tensor } from '@nutshell/tensor';
import {
  Add,
  BatchNormalization,
  Concatenate,
  Dense,
  Dropout,
  Model,
  SafetensorsError,
  Sequential,
  UnknownLayerError,
  WeightsMismatchError,
  decodeSafetensors,
  encodeSafetensors,
  input,
  loadModel,
  loadWeights,
  modelFromBytes,
  modelToBytes,
  saveModel,
} from '../index.js';

async function arr(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

function branchy(): Model {
  const x = input([5], { name: 'x' });
  const a = new Dense({ units: 4, activation: 'relu', seed: 1, name: 'a' }).apply(x);
  const b = new BatchNormalization({ name: 'bn' }).apply(new Dense({ units: 4, activation: 'tanh', seed: 2, name: 'b' }).apply(x));
  const j = new Concatenate({ name: 'j' }).apply([a, b]);
  const y = new Add({ name: 'res' }).apply([new Dense({ units: 3, seed: 3, name: 'head' }).apply(j), new Dense({ units: 3, seed: 4, name: 'skip' }).apply(x)]);
  return new Model({ inputs: x, outputs: y, name: 'branchy' });
}

describe('model save and load', () => {
  it('a model with branches round-trips through bytes with identical outputs (moving statistics included)', async () => {
    const m = branchy();
    const x = randomNormal([6, 5], { seed: 9 });
    // Train-mode passes move the BatchNormalization statistics away from their initial values.
    for (let i = 0; i < 3; i++) m.apply(x, { training: true }).dispose();
    const bytes = await modelToBytes(m);
    const copy = modelFromBytes(bytes);
    expect(copy).toBeInstanceOf(Model);
    expect(copy.getConfig()).toEqual(m.getConfig());
    expect(await arr(copy.apply(x))).toEqual(await arr(m.apply(x)));
    const names = [...decodeSafetensors(bytes).tensors.keys()];
    expect(names).toEqual(m.weights.map((w) => w.name));
    expect(names).toContain('bn/moving_mean');
    x.dispose();
    m.dispose();
    copy.dispose();
  });

  it('saveModel/loadModel write model.json + model.safetensors and reload an identical Sequential', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nutshell-layers-'));
    try {
      const m = new Sequential([new Dense({ units: 8, activation: 'gelu', seed: 1 }), new Dropout({ rate: 0.3, seed: 2 }), new Dense({ units: 2, seed: 3 })], { inputShape: [3], name: 'mlp' });
      await saveModel(m, dir);
      const config = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      expect(config).toMatchObject({ className: 'Sequential', name: 'mlp', inputShape: [3] });
      const copy = await loadModel(dir);
      const x = randomNormal([4, 3], { seed: 1 });
      expect(await arr(copy.predict(x))).toEqual(await arr(m.predict(x)));
      x.dispose();
      m.dispose();
      copy.dispose();

      // A config naming a class nobody registered.
      await writeFile(join(dir, 'model.json'), JSON.stringify({ ...config, layers: [{ className: 'Conv7D', name: 'c' }] }));
      await expect(loadModel(dir)).rejects.toThrow(UnknownLayerError);
      await writeFile(join(dir, 'model.json'), '{"className": ');
      await expect(loadModel(dir)).rejects.toThrow(/model\.json is not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('weights of the wrong shape or dtype, missing or extra, are WeightsMismatchErrors naming the weight; the model is unchanged', async () => {
    const m = new Sequential([new Dense({ units: 2, seed: 1, name: 'd' })], { inputShape: [3] });
    const before = await arr(tf.clone(m.weights[0].variable));
    const k = { dtype: 'F32' as const, shape: [3, 2], data: new Float32Array(6).fill(9) };
    const b = { dtype: 'F32' as const, shape: [2], data: new Float32Array(2) };
    const cases: [Record<string, any>, RegExp][] = [
      [{ 'd/kernel': { ...k, shape: [2, 3] }, 'd/bias': b }, /Weight 'd\/kernel': expected shape \[3, 2\], got \[2, 3\]\./],
      [{ 'd/kernel': { dtype: 'I32', shape: [3, 2], data: new Int32Array(6) }, 'd/bias': b }, /Weight 'd\/kernel': expected dtype F32 \(float32\), got I32\./],
      [{ 'd/kernel': k }, /Weight 'd\/bias': missing from the file/],
      [{ 'd/kernel': k, 'd/bias': b, 'e/kernel': b }, /Weight 'e\/kernel': the file holds it but model '.*' has no such weight/],
    ];
    for (const [tensors, message] of cases) {
      const bytes = encodeSafetensors(tensors);
      expect(() => loadWeights(m, bytes)).toThrow(WeightsMismatchError);
      expect(() => loadWeights(m, bytes)).toThrow(message);
    }
    expect(await arr(tf.clone(m.weights[0].variable))).toEqual(before);
    loadWeights(m, encodeSafetensors({ 'd/kernel': k, 'd/bias': b }));
    expect(await arr(tf.clone(m.weights[0].variable))).toEqual(new Array(6).fill(9));
    m.dispose();
  });

  it('a hostile config cannot allocate more than the file holds: shapes are checked before building', async () => {
    const m = new Sequential([new Dense({ units: 2, seed: 1, name: 'd' })], { inputShape: [3] });
    const bytes = await modelToBytes(m);
    const { tensors, metadata } = decodeSafetensors(bytes);
    const config = JSON.parse(metadata['nutshell.config']);
    config.layers[0].units = 2_000_000_000;
    const evil = encodeSafetensors(Object.fromEntries(tensors), { ...metadata, 'nutshell.config': JSON.stringify(config) });
    const tensorsBefore = numTensors();
    expect(() => modelFromBytes(evil)).toThrow(/Weight 'd\/kernel': expected shape \[3, 2000000000\], got \[3, 2\]/);
    expect(numTensors()).toBe(tensorsBefore);
    expect(() => modelFromBytes(encodeSafetensors(Object.fromEntries(tensors)))).toThrow(/no "nutshell.config" metadata/);
    // A config that fails after a first layer was built frees that layer's weights.
    const two = new Sequential([new Dense({ units: 2, seed: 1, name: 'd' }), new Dense({ units: 2, seed: 1, name: 'e' })], { inputShape: [3] });
    const twoBytes = decodeSafetensors(await modelToBytes(two));
    const twoConfig = JSON.parse(twoBytes.metadata['nutshell.config']);
    twoConfig.layers[1].units = 5;
    const halfway = encodeSafetensors(Object.fromEntries(twoBytes.tensors), { 'nutshell.config': JSON.stringify(twoConfig) });
    expect(() => modelFromBytes(halfway)).toThrow(/Weight 'e\/kernel': expected shape \[2, 5\], got \[2, 2\]/);
    expect(numTensors()).toBe(tensorsBefore + 4);
    two.dispose();
    m.dispose();
  });

  it('fuzz: corrupted saved models are refused with a Nutshell error, never a crash', async () => {
    const m = branchy();
    const bytes = await modelToBytes(m);
    m.dispose();
    const tensorsBefore = numTensors();
    for (const len of [0, 7, 8, 100, bytes.length - 1]) expect(() => modelFromBytes(bytes.subarray(0, len))).toThrow(SafetensorsError);
    let seed = 1;
    for (let trial = 0; trial < 200; trial++) {
      const b = bytes.slice();
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      b[8 + (seed % 400)] ^= 1 + (trial % 255);
      try {
        modelFromBytes(b).dispose();
      } catch (e) {
        expect((e as Error).constructor.name).toMatch(/SafetensorsError|WeightsMismatchError|UnknownLayerError|NutshellError|ShapeError|UnknownActivationError/);
      }
    }
    expect(numTensors()).toBe(tensorsBefore);
  });

  it('fuzz: 400 configs with values of the wrong type or size are refused with a NutshellError and leak nothing', async () => {
    const m = branchy();
    const bytes = await modelToBytes(m);
    m.dispose();
    const { tensors, metadata } = decodeSafetensors(bytes);
    const config = JSON.parse(metadata['nutshell.config']);
    const rng = new Rng(11);
    const replacements: unknown[] = [null, -1, 0, 2.5, 1e9, 'x', [], {}, true, [null], [-3, 2]];
    // Every path to a value in the config.
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      if (path.length) paths.push(path);
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, Array.isArray(v) ? Number(k) : k]);
    };
    walk(config, []);
    const tensorsBefore = numTensors();
    let refused = 0;
    for (let trial = 0; trial < 400; trial++) {
      const c = JSON.parse(JSON.stringify(config));
      const path = paths[rng.nextInt(paths.length)];
      let node = c;
      for (const k of path.slice(0, -1)) node = node[k];
      node[path[path.length - 1]] = replacements[rng.nextInt(replacements.length)];
      const evil = encodeSafetensors(Object.fromEntries(tensors), { 'nutshell.config': JSON.stringify(c) });
      try {
        modelFromBytes(evil).dispose();
      } catch (e) {
        expect(e, `${path.join('.')}: ${(e as Error).stack}`).toBeInstanceOf(NutshellError);
        refused++;
      }
      expect(numTensors(), path.join('.')).toBe(tensorsBefore);
    }
    expect(refused).toBeGreaterThan(100);
  });
});
