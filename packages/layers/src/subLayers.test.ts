import { describe, expect, it } from 'vitest';
import { numTensors, tf, type Tensor } from '@nutshell/tensor';
import {
  Dense,
  Dropout,
  Layer,
  Model,
  Sequential,
  input,
  modelFromBytes,
  modelToBytes,
  registerLayer,
  type LayerArgs,
  type LayerConfig,
} from './index.js';

/** h + dense2(relu(dense1(h))): the inner layers live in two fields. */
class ResidualBlock extends Layer {
  readonly className = 'TestResidualBlock';
  readonly units: number;
  private readonly dense1: Dense;
  private readonly dense2: Dense;
  constructor(args: LayerArgs & { units: number; seed?: number }) {
    super(args);
    this.units = args.units;
    this.dense1 = new Dense({ units: args.units, activation: 'relu', seed: args.seed ?? 1 });
    this.dense2 = new Dense({ units: args.units, seed: (args.seed ?? 1) + 1 });
  }
  call(x: Tensor | Tensor[]): Tensor {
    const h = x as Tensor;
    return tf.add(h, this.dense2.apply(this.dense1.apply(h)));
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), units: this.units };
  }
}
registerLayer('TestResidualBlock', (c) => new ResidualBlock(c as unknown as LayerArgs & { units: number }));

/** Layers in an array, a Map and a plain object; the output width differs from the input's. */
class Towers extends Layer {
  readonly className = 'TestTowers';
  readonly stack = [new Dense({ units: 5, seed: 3 }), new Dense({ units: 5, seed: 4 })];
  readonly heads = new Map([['score', new Dense({ units: 2, seed: 5 })]]);
  readonly extra = {
    gate: new Dense({ units: 2, seed: 6, kernelRegularizer: { className: 'l2', config: { l2: 0.5 } } }),
  };
  call(x: Tensor | Tensor[]): Tensor {
    const h = this.stack.reduce((a, l) => l.apply(a), x as Tensor);
    return tf.mul(this.heads.get('score')!.apply(h), this.extra.gate.apply(h));
  }
}

/** A Dropout inside: applied without `training`, it must inherit the outer call's mode. */
class Noisy extends Layer {
  readonly className = 'TestNoisy';
  private readonly drop = new Dropout({ rate: 0.5, seed: 7 });
  call(x: Tensor | Tensor[]): Tensor {
    return this.drop.apply(x as Tensor);
  }
}

/** A whole Sequential in a field. */
class Wrapper extends Layer {
  readonly className = 'TestWrapper';
  readonly stack = new Sequential([
    new Dense({ units: 4, activation: 'tanh', seed: 1 }),
    new Dense({ units: 2, seed: 2 }),
  ]);
  call(x: Tensor | Tensor[]): Tensor {
    return this.stack.apply(x as Tensor);
  }
}
registerLayer('TestWrapper', (c) => new Wrapper(c));

async function values(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

describe('composite layers track their sub-layers', () => {
  it('counts, names and lists the inner weights (summary, weights, countParams)', () => {
    const before = numTensors();
    const block = new ResidualBlock({ units: 4, name: 'block' });
    const model = new Sequential([block], { inputShape: [4], name: 'res' });
    expect(block.countParams()).toBe(2 * (4 * 4 + 4));
    expect(model.countParams()).toBe(40);
    expect(model.weights.map((w) => w.name)).toEqual([
      'block/dense1/kernel',
      'block/dense1/bias',
      'block/dense2/kernel',
      'block/dense2/bias',
    ]);
    expect(model.trainableWeights).toHaveLength(4);
    expect(model.summary()).toMatch(/block \(TestResidualBlock\)\s+\[\?, 4\]\s+40/);
    expect(model.summary()).toContain('Total params: 40');
    model.dispose();
    expect(numTensors()).toBe(before);
  });

  it('tracks arrays, maps and plain objects, infers the output shape and sums inner regularizers', async () => {
    const before = numTensors();
    const t = new Towers({ name: 'towers' });
    const model = new Sequential([t], { inputShape: [3] });
    expect(model.outputShape).toEqual([null, 2]);
    expect(t.subLayers.map((s) => s.path)).toEqual(['stack/0', 'stack/1', 'heads/score', 'extra/gate']);
    expect(model.weights.map((w) => w.name)).toEqual([
      'towers/stack/0/kernel',
      'towers/stack/0/bias',
      'towers/stack/1/kernel',
      'towers/stack/1/bias',
      'towers/heads/score/kernel',
      'towers/heads/score/bias',
      'towers/extra/gate/kernel',
      'towers/extra/gate/bias',
    ]);
    expect(model.countParams()).toBe(3 * 5 + 5 + 5 * 5 + 5 + 5 * 2 + 2 + 5 * 2 + 2);
    // 0.5 · Σ kernel² of the gate, computed independently from its values.
    const gate = model.weights.find((w) => w.name === 'towers/extra/gate/kernel')!.variable;
    const expected = 0.5 * Array.from(await gate.data()).reduce((a, v) => a + v * v, 0);
    expect((await values(model.regularizationLoss()!))[0]).toBeCloseTo(expected, 5);
    const x = tf.ones([7, 3]);
    const y = model.predict(x);
    expect(y.shape).toEqual([7, 2]);
    tf.dispose([x, y]);
    model.dispose();
    expect(numTensors()).toBe(before);
  });

  it('trains the inner weights: a residual block fits y = 3x', () => {
    const block = new ResidualBlock({ units: 1, seed: 11 });
    const model = new Sequential([block], { inputShape: [1] });
    const x = tf.tensor2d([[-1], [-0.5], [0.25], [0.5], [1]]);
    const y = tf.mul(x, 3);
    const vars = model.trainableWeights.map((w) => w.variable);
    expect(vars).toHaveLength(4);
    const opt = tf.train.adam(0.05);
    const loss = (): Tensor => tf.losses.meanSquaredError(y, model.apply(x, { training: true }));
    const first = tf.tidy(() => loss().dataSync()[0]);
    for (let i = 0; i < 300; i++) opt.minimize(() => loss() as tf.Scalar, true, vars)?.dispose();
    const last = tf.tidy(() => loss().dataSync()[0]);
    // Only the inner Dense layers have weights: without tracking nothing trains and the loss stays at `first`.
    expect(first).toBeGreaterThan(0.5);
    expect(last).toBeLessThan(0.01);
    tf.dispose([x, y]);
    opt.dispose();
    model.dispose();
  });

  it('freezes the inner layers with trainable = false (also when given to the constructor)', () => {
    const block = new ResidualBlock({ units: 2, name: 'frozen_block' });
    const model = new Sequential([block], { inputShape: [2] });
    block.trainable = false;
    expect(model.trainableWeights).toHaveLength(0);
    expect(model.weights.every((w) => !w.variable.trainable)).toBe(true);
    expect(model.summary()).toContain('Non-trainable params: 12');
    block.trainable = true;
    expect(model.trainableWeights).toHaveLength(4);
    model.dispose();
    const off = new ResidualBlock({ units: 2, trainable: false });
    const m2 = new Sequential([off], { inputShape: [2] });
    expect(m2.trainableWeights).toHaveLength(0);
    expect(m2.weights.every((w) => !w.variable.trainable)).toBe(true);
    m2.dispose();
  });

  it('passes the training mode on to an inner layer applied without it', async () => {
    const noisy = new Noisy();
    const x = tf.ones([1, 200]);
    const inference = await values(noisy.apply(x));
    expect(inference.every((v) => v === 1)).toBe(true);
    const training = await values(noisy.apply(x, { training: true }));
    const zeros = training.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(60);
    expect(zeros).toBeLessThan(140);
    expect(training.filter((v) => v !== 0).every((v) => Math.abs(v - 2) < 1e-6)).toBe(true);
    x.dispose();
  });

  it('saves and loads the inner weights (config rebuilds the sub-layers, names follow the field paths)', async () => {
    const before = numTensors();
    const x = input([3]);
    const y = new Dense({ units: 2, seed: 9, name: 'out' }).apply(
      new ResidualBlock({ units: 3, seed: 5, name: 'res' }).apply(x),
    );
    const model = new Model({ inputs: x, outputs: y });
    const bytes = await modelToBytes(model);
    const copy = modelFromBytes(bytes);
    expect(copy.countParams()).toBe(2 * (9 + 3) + 3 * 2 + 2);
    const probe = tf.tensor2d([
      [0.3, -1, 2],
      [1, 1, -0.5],
    ]);
    expect(await values(copy.predict(probe))).toEqual(await values(model.predict(probe)));
    probe.dispose();
    copy.dispose();
    model.dispose();
    expect(numTensors()).toBe(before);
  });

  it('a Sequential held in a field is tracked by position, and a saved model loads back', async () => {
    const before = numTensors();
    const outer = new Sequential([new Wrapper({ name: 'wrap' })], { inputShape: [3] });
    expect(outer.weights.map((w) => w.name)).toEqual([
      'wrap/stack/0/kernel',
      'wrap/stack/0/bias',
      'wrap/stack/1/kernel',
      'wrap/stack/1/bias',
    ]);
    expect(outer.countParams()).toBe(3 * 4 + 4 + 4 * 2 + 2);
    const copy = modelFromBytes(await modelToBytes(outer));
    const probe = tf.tensor2d([[1, -2, 0.5]]);
    expect(await values(copy.predict(probe))).toEqual(await values(outer.predict(probe)));
    tf.dispose([probe]);
    copy.dispose();
    outer.dispose();
    expect(numTensors()).toBe(before);
  });

  it('setWeights covers the inner weights in the order of weights', async () => {
    const block = new ResidualBlock({ units: 1 });
    block.apply(tf.zeros([1, 1])).dispose();
    const vals = [tf.tensor2d([[2]]), tf.tensor1d([0]), tf.tensor2d([[5]]), tf.tensor1d([1])];
    block.setWeights(vals);
    // x + 5·relu(2x) + 1 at x = 1: 12.
    const one = tf.ones([1, 1]);
    expect(await values(block.apply(one))).toEqual([12]);
    tf.dispose([...vals, one]);
    block.dispose();
  });
});
