import { describe, expect, it } from 'vitest';
import { ShapeError, numTensors, randomNormal, tf, type Tensor } from '@nutshell/tensor';
import {
  Activation,
  Add,
  BatchNormalization,
  Concatenate,
  Dense,
  Dropout,
  Flatten,
  Layer,
  Model,
  Sequential,
  UnknownLayerError,
  input,
  modelFromConfig,
  type ApplyOptions,
  type ModelLike,
} from '../index.js';
import { gradCheck } from '../test-utils/gradcheck.js';

async function arr(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

function branchy(seed = 1): Model {
  // x ─┬─ Dense(relu) ─┐
  //    ├─ Dense(tanh) ─┼─ Concatenate ─ Dense ─┐
  //    └─ Dense ───────────────────────────────┴─ Add ─ output
  const x = input([6], { name: 'features' });
  const a = new Dense({ units: 4, activation: 'relu', seed, name: 'left' }).apply(x);
  const b = new Dense({ units: 4, activation: 'tanh', seed: seed + 1, name: 'right' }).apply(x);
  const c = new Dense({ units: 3, seed: seed + 2, name: 'mix' }).apply(new Concatenate({ name: 'join' }).apply([a, b]));
  const skip = new Dense({ units: 3, seed: seed + 3, name: 'skip' }).apply(x);
  const y = new Add({ name: 'sum' }).apply([c, skip]);
  return new Model({ inputs: x, outputs: y, name: 'branchy' });
}

describe('Sequential', () => {
  it('chains layers; equals applying them one by one', async () => {
    const l1 = new Dense({ units: 5, activation: 'relu', seed: 1 });
    const l2 = new Dense({ units: 2, seed: 2 });
    const m = new Sequential([l1, l2], { inputShape: [3] });
    const x = randomNormal([4, 3], { seed: 3 });
    const manual = tf.tidy(() => l2.apply(l1.apply(x)));
    expect(await arr(m.apply(x))).toEqual(await arr(manual));
    expect(m.inputShape).toEqual([null, 3]);
    expect(m.outputShape).toEqual([null, 2]);
    expect(m.countParams()).toBe(3 * 5 + 5 + 5 * 2 + 2);
    expect(m.weights.map((w) => w.name)).toEqual([`${l1.name}/kernel`, `${l1.name}/bias`, `${l2.name}/kernel`, `${l2.name}/bias`]);
    x.dispose();
    m.dispose();
  });

  it('builds lazily on first apply; add() after building builds the new layer', () => {
    const m = new Sequential([new Dense({ units: 3 })]);
    expect(m.built).toBe(false);
    expect(() => m.inputShape).toThrow(/not built/);
    const x = tf.ones([2, 7]);
    m.apply(x).dispose();
    expect(m.inputShape).toEqual([null, 7]);
    const extra = new Dense({ units: 1 });
    m.add(extra);
    expect(extra.built).toBe(true);
    expect(m.outputShape).toEqual([null, 1]);
    const bad = tf.ones([2, 8]);
    expect(() => m.apply(bad)).toThrow(ShapeError);
    expect(() => m.add(new Dense({ units: 1, name: extra.name }))).toThrow(/two layers are named/);
    tf.dispose([x, bad]);
    m.dispose();
  });

  it('gradients through the whole model match finite differences (Dense, BatchNorm, Dense)', async () => {
    // Wrap the model in a layer so gradCheck can drive it.
    const inner = new Sequential([new Dense({ units: 4, activation: 'tanh', seed: 5 }), new BatchNormalization(), new Dense({ units: 2, seed: 6 })], { inputShape: [3] });
    class Wrap extends Layer {
      readonly className = 'Wrap';
      call(x: Tensor | Tensor[], o: ApplyOptions) {
        return inner.apply(x as Tensor, o);
      }
      override get weights() {
        return inner.weights;
      }
    }
    await gradCheck(new Wrap(), randomNormal([5, 3], { seed: 7 }), { training: true, tol: 1e-2 });
    inner.dispose();
  });

  it('predict batches and matches apply; intermediateOutputs gives every layer', async () => {
    const m = new Sequential([new Dense({ units: 6, activation: 'relu', seed: 1 }), new Dropout({ rate: 0.5, seed: 1 }), new Dense({ units: 2, seed: 2 })], { inputShape: [4] });
    const x = randomNormal([70, 4], { seed: 2 });
    const whole = await arr(m.apply(x));
    const batched = m.predict(x, { batchSize: 16 });
    expect(batched.shape).toEqual([70, 2]);
    (await arr(batched)).forEach((v, i) => expect(v).toBeCloseTo(whole[i], 5));
    const outs = m.intermediateOutputs(x);
    expect(outs.map((o) => [o.layer.className, o.output.shape])).toEqual([
      ['Dense', [70, 6]],
      ['Dropout', [70, 6]],
      ['Dense', [70, 2]],
    ]);
    expect(await arr(outs[2].output)).toEqual(whole);
    tf.dispose(outs.map((o) => o.output));
    x.dispose();
    m.dispose();
  });

  it('summary prints layer, output shape and parameters with totals', () => {
    const m = new Sequential([new Dense({ units: 64, activation: 'relu', name: 'hidden' }), new BatchNormalization({ name: 'bn' }), new Dense({ units: 10, name: 'out' })], {
      inputShape: [784],
      name: 'mlp',
    });
    const s = m.summary();
    expect(s).toContain('Model: "mlp"');
    expect(s).toMatch(/hidden \(Dense\)\s+\[\?, 64\]\s+50,240/);
    expect(s).toMatch(/bn \(BatchNormalization\)\s+\[\?, 64\]\s+256/);
    expect(s).toMatch(/out \(Dense\)\s+\[\?, 10\]\s+650/);
    expect(s).toContain('Total params: 51,146');
    expect(s).toContain('Trainable params: 51,018');
    expect(s).toContain('Non-trainable params: 128');
    m.dispose();
    const lazy = new Sequential([new Dense({ units: 2, name: 'later' })]);
    expect(lazy.summary()).toMatch(/later \(Dense\)\s+\(not built\)\s+0/);
  });

  it('config round-trips through JSON into an identical architecture', () => {
    const m = new Sequential([new Flatten(), new Dense({ units: 3, activation: 'softmax', seed: 1 })], { inputShape: [2, 2], name: 'tiny' });
    const cfg = JSON.parse(JSON.stringify(m.getConfig()));
    const copy = modelFromConfig(cfg);
    expect(copy).toBeInstanceOf(Sequential);
    expect(copy.getConfig()).toEqual(m.getConfig());
    expect(copy.countParams()).toBe(m.countParams());
    m.dispose();
    copy.dispose();
  });
});

describe('graph Model', () => {
  it('runs a DAG with branches and merges, equal to the same computation by hand', async () => {
    const m = branchy();
    const [left, right, join, mix, skip, sum] = ['left', 'right', 'join', 'mix', 'skip', 'sum'].map((n) => m.layers.find((l) => l.name === n)!);
    const x = randomNormal([5, 6], { seed: 4 });
    const manual = tf.tidy(() => sum.apply([mix.apply(join.apply([left.apply(x), right.apply(x)])), skip.apply(x)]));
    expect(await arr(m.apply(x))).toEqual(await arr(manual));
    expect(m.inputShape).toEqual([null, 6]);
    expect(m.outputShape).toEqual([null, 3]);
    expect(m.countParams()).toBe(6 * 4 + 4 + 6 * 4 + 4 + 8 * 3 + 3 + 6 * 3 + 3);
    const outs = m.intermediateOutputs(x);
    expect(outs.map((o) => o.layer.name).sort()).toEqual(['join', 'left', 'mix', 'right', 'skip', 'sum']);
    expect(outs.find((o) => o.layer.name === 'join')!.output.shape).toEqual([5, 8]);
    tf.dispose(outs.map((o) => o.output));
    x.dispose();
    m.dispose();
  });

  it('summary lists what each node is connected to', () => {
    const m = branchy();
    const s = m.summary();
    expect(s).toMatch(/features \(InputLayer\)\s+\[\?, 6\]\s+0/);
    expect(s).toMatch(/join \(Concatenate\)\s+\[\?, 8\]\s+0\s+left, right/);
    expect(s).toMatch(/sum \(Add\)\s+\[\?, 3\]\s+0\s+mix, skip/);
    m.dispose();
  });

  it('shares a layer applied twice (one set of weights, two nodes)', async () => {
    const x = input([3]);
    const shared = new Dense({ units: 3, seed: 1, name: 'shared' });
    const y = shared.apply(new Activation({ activation: 'tanh' }).apply(shared.apply(x)));
    const m = new Model({ inputs: x, outputs: y });
    expect(m.layers.filter((l) => l === shared).length).toBe(1);
    expect(m.weights.length).toBe(2);
    const t = randomNormal([2, 3], { seed: 1 });
    const manual = tf.tidy(() => shared.apply(tf.tanh(shared.apply(t))));
    expect(await arr(m.apply(t))).toEqual(await arr(manual));
    const copy = modelFromConfig(JSON.parse(JSON.stringify(m.getConfig())));
    expect(copy.getConfig()).toEqual(m.getConfig());
    expect(copy.countParams()).toBe(m.countParams());
    t.dispose();
    m.dispose();
    copy.dispose();
  });

  it('config round-trips through JSON', () => {
    const m = branchy();
    const copy = modelFromConfig(JSON.parse(JSON.stringify(m.getConfig()))) as Model;
    expect(copy).toBeInstanceOf(Model);
    expect(copy.getConfig()).toEqual(m.getConfig());
    m.dispose();
    copy.dispose();
  });

  it('multiple inputs and outputs', async () => {
    const a = input([2]);
    const b = input([3]);
    const j = new Concatenate().apply([a, b]);
    const o1 = new Dense({ units: 1, seed: 1 }).apply(j);
    const o2 = new Activation({ activation: 'relu' }).apply(j);
    const m = new Model({ inputs: [a, b], outputs: [o1, o2] });
    const ta = tf.ones([4, 2]);
    const tb = tf.ones([4, 3]);
    const [y1, y2] = m.applyAll([ta, tb]);
    expect(y1.shape).toEqual([4, 1]);
    expect(await arr(y2)).toEqual(new Array(20).fill(1));
    expect(() => m.apply([ta, tb])).toThrow(/use applyAll/);
    expect(() => m.applyAll([ta])).toThrow(/expected 2 input tensor/);
    tf.dispose([y1, ta, tb]);
    m.dispose();
  });

  it('refuses an input of the wrong shape and an output that depends on a foreign input', () => {
    const m = branchy();
    const bad = tf.ones([2, 5]);
    expect(() => m.apply(bad)).toThrow("Model 'branchy' input 'features': expected shape [?, 6], got [2, 5] (the model takes [?, 6]).");
    const x = input([2]);
    const other = input([2], { name: 'stray' });
    const y = new Add().apply([x, other]);
    expect(() => new Model({ inputs: x, outputs: y })).toThrow(/the outputs depend on input 'stray', which is not among the model's inputs/);
    bad.dispose();
    m.dispose();
  });

  it('wiring errors name the layer: merging incompatible symbolic shapes', () => {
    const a = input([3]);
    const b = input([4]);
    expect(() => new Add({ name: 'bad_add' }).apply([a, b])).toThrow(/Add 'bad_add': expected shape \[\?, 3\], got \[\?, 4\]/);
  });
});

describe('configs', () => {
  it('an unknown layer or model class is an UnknownLayerError listing the known ones', () => {
    const cfg = { className: 'Sequential', name: 's', layers: [{ className: 'Conv9D', name: 'c' }] };
    expect(() => modelFromConfig(cfg)).toThrow(UnknownLayerError);
    expect(() => modelFromConfig(cfg)).toThrow(/Unknown layer class 'Conv9D' in config\. Known: InputLayer, Dense, Activation/);
    expect(() => modelFromConfig({ className: 'Transformer', name: 't' })).toThrow(/Unknown model class 'Transformer'/);
  });
});

describe('memory', () => {
  it('Sequential never hands back its input: with no layers, or a first layer that returns its input', async () => {
    /** A layer whose output is its input tensor itself. */
    class PassThrough extends Layer {
      readonly className = 'PassThrough';
      override call(inputs: Tensor | Tensor[]): Tensor {
        return inputs as Tensor;
      }
    }
    const x = tf.tensor2d([[1, 2, 3]]);
    for (const m of [new Sequential([], { inputShape: [3] }), new Sequential([new PassThrough()], { inputShape: [3] })]) {
      const before = numTensors();
      const y = m.apply(x);
      expect(y).not.toBe(x);
      expect(numTensors()).toBe(before + 1);
      y.dispose();
      expect(x.isDisposed).toBe(false);
      expect(await x.data()).toEqual(Float32Array.of(1, 2, 3));
      m.dispose();
    }
    x.dispose();
  });

  it('Sequential runs no Identity kernel for its input when a layer makes a new tensor', async () => {
    const m = new Sequential([new Dense({ units: 2, seed: 1 })], { inputShape: [3] });
    const x = tf.tensor2d([[1, 2, 3]]);
    m.apply(x).dispose();
    const info = await tf.profile(() => m.apply(x));
    expect(info.kernels.map((k) => k.name)).not.toContain('Identity');
    x.dispose();
    m.dispose();
  });

  it('apply, predict and intermediateOutputs loops leak nothing', () => {
    const models: ModelLike[] = [
      branchy(),
      new Sequential([new Dense({ units: 8, activation: 'relu', seed: 1 }), new Dropout({ rate: 0.2, seed: 1 }), new BatchNormalization(), new Dense({ units: 2, seed: 2 })], { inputShape: [6] }),
    ];
    const x = randomNormal([40, 6], { seed: 1 });
    for (const m of models) {
      m.apply(x).dispose();
      const before = numTensors();
      for (let i = 0; i < 5; i++) {
        m.apply(x, { training: true }).dispose();
        m.predict(x, { batchSize: 16 }).dispose();
        tf.dispose(m.intermediateOutputs(x).map((o) => o.output));
        const r = m.regularizationLoss();
        r?.dispose();
      }
      expect(numTensors()).toBe(before);
      m.dispose();
    }
    x.dispose();
  });
});
