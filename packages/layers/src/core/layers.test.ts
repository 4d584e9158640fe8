import { describe, expect, it } from 'vitest';
import { ShapeError, numTensors, randomNormal, tf, type Tensor } from '@nutshell/tensor';
import {
  Activation,
  Add,
  BatchNormalization,
  Concatenate,
  Dropout,
  Flatten,
  InputLayer,
  input,
  LayerNormalization,
  Maxout,
  Multiply,
  Reshape,
  layerFromConfig,
  type Layer,
} from '../index.js';
import { gradCheck } from '../test-utils/gradcheck.js';

async function arr(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

function roundTrip(layer: Layer): Layer {
  const copy = layerFromConfig(JSON.parse(JSON.stringify(layer.getConfig())));
  expect(copy.getConfig()).toEqual(layer.getConfig());
  return copy;
}

describe('InputLayer', () => {
  it('passes its input through (a copy the caller owns), gradient identity; input() is its symbolic output', async () => {
    const x = input([2, 3], { name: 'pixels' });
    expect(x.shape).toEqual([null, 2, 3]);
    const layer = x.sourceLayer as InputLayer;
    expect(layer).toBeInstanceOf(InputLayer);
    const t = tf.tensor3d([[[1, 2, 3], [4, 5, 6]]]);
    const y = layer.apply(t);
    expect(y).not.toBe(t);
    expect(await arr(y)).toEqual([1, 2, 3, 4, 5, 6]);
    await gradCheck(layer, randomNormal([2, 2, 3], { seed: 1 }));
    expect(roundTrip(layer)).toBeInstanceOf(InputLayer);
    expect(() => input([0])).toThrow(/inputShape must be positive integers/);
    t.dispose();
  });
});

describe('Activation', () => {
  it('applies the named function, forward and gradient', async () => {
    const a = new Activation({ activation: 'sigmoid' });
    const x = tf.tensor2d([[-1, 0, 2]]);
    (await arr(a.apply(x))).forEach((v, i) => expect(v).toBeCloseTo(1 / (1 + Math.exp(-[-1, 0, 2][i])), 6));
    await gradCheck(a, randomNormal([3, 4], { seed: 1 }));
    expect(a.countParams()).toBe(0);
    expect(roundTrip(a)).toBeInstanceOf(Activation);
    expect(() => new Activation({ activation: 'nope' })).toThrow(/Unknown activation 'nope'/);
    x.dispose();
  });
});

describe('Flatten and Reshape', () => {
  it('Flatten keeps the batch and flattens row-major; gradient passes through', async () => {
    const f = new Flatten();
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
    const y = f.apply(x);
    expect(y.shape).toEqual([2, 4]);
    expect(await arr(y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await gradCheck(f, randomNormal([2, 3, 2], { seed: 2 }));
    expect(f.computeOutputShape([null, 28, 28, 1])).toEqual([null, 784]);
    roundTrip(f);
    x.dispose();
  });

  it('Flatten refuses rank 1 with a ShapeError naming the layer', () => {
    const f = new Flatten({ name: 'flat' });
    const v = tf.zeros([5]);
    expect(() => f.apply(v)).toThrow(ShapeError);
    expect(() => f.apply(v)).toThrow("Flatten 'flat': expected shape rank >= 2 ([batch, ...features]), got [5].");
    v.dispose();
  });

  it('Reshape reshapes each example, infers -1, and refuses a mismatched size', async () => {
    const r = new Reshape({ targetShape: [2, -1], name: 'rs' });
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6]]);
    const y = r.apply(x);
    expect(y.shape).toEqual([1, 2, 3]);
    expect(await arr(y)).toEqual([1, 2, 3, 4, 5, 6]);
    await gradCheck(r, randomNormal([3, 6], { seed: 3 }));
    const bad = new Reshape({ targetShape: [4, 2], name: 'rs2' });
    expect(() => bad.apply(x)).toThrow("Reshape 'rs2': expected shape [?, 4, 2], got [1, 6] (6 elements per example cannot fill [4, 2]).");
    const v = tf.zeros([6]);
    expect(() => r.apply(v)).toThrow(/Reshape 'rs': expected shape rank >= 2/);
    expect(() => new Reshape({ targetShape: [-1, -1] })).toThrow(/at most one -1/);
    roundTrip(r);
    tf.dispose([x, v]);
  });
});

describe('Dropout', () => {
  it('is the identity in inference', async () => {
    const d = new Dropout({ rate: 0.5, seed: 1 });
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    expect(await arr(d.apply(x))).toEqual([1, 2, 3, 4]);
    await gradCheck(d, randomNormal([2, 3], { seed: 4 }));
    x.dispose();
  });

  it('in training drops about `rate` of the inputs, scales the rest by 1/(1-rate), seeded', async () => {
    const x = tf.ones([100, 100]);
    const a = await arr(new Dropout({ rate: 0.3, seed: 7 }).apply(x, { training: true }));
    const b = await arr(new Dropout({ rate: 0.3, seed: 7 }).apply(x, { training: true }));
    expect(a).toEqual(b);
    const dropped = a.filter((v) => v === 0).length / a.length;
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.02);
    for (const v of a) if (v !== 0) expect(v).toBeCloseTo(1 / 0.7, 6);
    x.dispose();
  });

  it('training gradient is the mask scaled by 1/(1-rate)', async () => {
    const d = new Dropout({ rate: 0.5, seed: 3 });
    const x = tf.ones([4, 8]);
    // The same seed replays the same mask: read it from a forward pass of a twin layer.
    const mask = await arr(new Dropout({ rate: 0.5, seed: 3 }).apply(x, { training: true }));
    const g = await arr(tf.grad((t: Tensor) => tf.sum(d.apply(t, { training: true })))(x));
    expect(g).toEqual(mask);
    x.dispose();
    expect(() => new Dropout({ rate: 1 })).toThrow(/rate must be in \[0, 1\)/);
    roundTrip(new Dropout({ rate: 0.2, seed: 5 }));
  });
});

describe('BatchNormalization', () => {
  it('normalises with batch statistics in training and moving statistics in inference', async () => {
    const bn = new BatchNormalization({ momentum: 0.5, epsilon: 0 });
    const x = tf.tensor2d([
      [1, 10],
      [3, 30],
    ]);
    // Batch mean [2, 20], biased variance [1, 100] → each column becomes [-1, 1].
    (await arr(bn.apply(x, { training: true }))).forEach((v, i) => expect(v).toBeCloseTo([-1, -1, 1, 1][i], 5));
    // Moving stats: 0.5·[0,0] + 0.5·[2,20] = [1, 10]; 0.5·[1,1] + 0.5·[1,100] = [1, 50.5].
    const [, , mm, mv] = bn.weights;
    expect(await arr(tf.clone(mm.variable))).toEqual([1, 10]);
    (await arr(tf.clone(mv.variable))).forEach((v, i) => expect(v).toBeCloseTo([1, 50.5][i], 5));
    // Inference uses them: (x - [1, 10]) / sqrt([1, 50.5]).
    const inf = await arr(bn.apply(x));
    [(1 - 1) / 1, (10 - 10) / Math.sqrt(50.5), (3 - 1) / 1, (30 - 10) / Math.sqrt(50.5)].forEach((e, i) => expect(inf[i]).toBeCloseTo(e, 5));
    expect(bn.trainableWeights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta']);
    expect(bn.nonTrainableWeights.map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
    x.dispose();
    roundTrip(bn);
  });

  it('gradients (training and inference) match finite differences; channels axis of an image', async () => {
    const bn = new BatchNormalization({ epsilon: 1e-3 });
    const x = randomNormal([4, 2, 2, 3], { seed: 6 });
    await gradCheck(bn, x, { training: true, tol: 1e-2 });
    await gradCheck(bn, x, { training: false });
    expect(bn.weights[0].variable.shape).toEqual([3]);
    const wrong = tf.zeros([4, 2, 2, 5]);
    expect(() => bn.apply(wrong)).toThrow(ShapeError);
    tf.dispose([x, wrong]);
  });
});

describe('LayerNormalization', () => {
  it('normalises each example over its last axis; gradients match finite differences', async () => {
    const ln = new LayerNormalization({ epsilon: 0 });
    const x = tf.tensor2d([
      [1, 2, 3],
      [10, 10, 40],
    ]);
    const s = Math.sqrt(2 / 3);
    const expected = [-1 / s, 0, 1 / s, -10 / Math.sqrt(200), -10 / Math.sqrt(200), 20 / Math.sqrt(200)];
    (await arr(ln.apply(x))).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
    const ln2 = new LayerNormalization();
    await gradCheck(ln2, randomNormal([3, 5], { seed: 8 }), { tol: 1e-2 });
    x.dispose();
    roundTrip(ln);
  });
});

describe('Maxout', () => {
  it('is the max of `pieces` affine maps per unit; gradients match finite differences', async () => {
    const m = new Maxout({ units: 2, pieces: 3, name: 'mx' });
    const x = tf.tensor2d([[1, -1]]);
    m.apply(x).dispose();
    // Kernel [2, 6] unit-major: unit 0 pieces (x1, -x1, x2), unit 1 pieces (x1+x2, 0, -x2).
    m.setWeights([tf.tensor2d([[1, -1, 0, 1, 0, 0], [0, 0, 1, 1, 0, -1]]), tf.tensor1d([0, 0, 0, 0, 0.5, 0])]);
    // x = (1, -1): unit 0 = max(1, -1, -1) = 1; unit 1 = max(0, 0.5, 1) = 1.
    expect(await arr(m.apply(tf.tensor2d([[1, -1]])))).toEqual([1, 1]);
    expect(await arr(m.apply(tf.tensor2d([[-2, 3]])))).toEqual([3, 1]);
    const m2 = new Maxout({ units: 3, pieces: 2, seed: 1 });
    await gradCheck(m2, randomNormal([4, 5], { seed: 9 }));
    const w = tf.zeros([1, 3]);
    expect(() => m.apply(w)).toThrow("Maxout 'mx': expected shape [?, 2], got [1, 3] (input width 3, the kernel expects 2).");
    tf.dispose([x, w]);
    roundTrip(m);
  });
});

describe('merge layers', () => {
  const a = () => tf.tensor2d([[1, 2], [3, 4]]);
  const b = () => tf.tensor2d([[10, 20], [30, 40]]);

  it('Add, Multiply and Concatenate compute the right values and gradients', async () => {
    const [x, y] = [a(), b()];
    expect(await arr(new Add().apply([x, y]))).toEqual([11, 22, 33, 44]);
    expect(await arr(new Multiply().apply([x, y, x]))).toEqual([10, 80, 270, 640]);
    const c = new Concatenate().apply([x, y]);
    expect(c.shape).toEqual([2, 4]);
    expect(await arr(c)).toEqual([1, 2, 10, 20, 3, 4, 30, 40]);
    const r = () => randomNormal([3, 4], { seed: 10 });
    for (const layer of [new Add(), new Multiply(), new Concatenate()]) {
      const ins = [r(), randomNormal([3, 4], { seed: 11 })];
      await gradCheck(layer, ins);
      tf.dispose(ins);
    }
    const c0 = new Concatenate({ axis: 1 });
    const im = [randomNormal([2, 3, 2], { seed: 12 }), randomNormal([2, 1, 2], { seed: 13 })];
    expect(c0.computeOutputShape([[null, 3, 2], [null, 1, 2]])).toEqual([null, 4, 2]);
    await gradCheck(c0, im);
    tf.dispose([x, y, ...im]);
    roundTrip(c0);
    roundTrip(new Add());
  });

  it('refuse incompatible shapes with a ShapeError naming the layer and every shape', () => {
    const x = tf.zeros([2, 3]);
    const y = tf.zeros([2, 4]);
    const z = tf.zeros([2, 3, 1]);
    expect(() => new Add({ name: 'sum' }).apply([x, y])).toThrow(
      "Add 'sum': expected shape [2, 3], got [2, 4] (input 1 does not match input 0; all shapes: [2, 3], [2, 4]).",
    );
    expect(() => new Multiply({ name: 'gate' }).apply([x, z])).toThrow(/Multiply 'gate': expected shape \[2, 3\], got \[2, 3, 1\]/);
    expect(() => new Concatenate({ name: 'cat', axis: -1 }).apply([x, z])).toThrow(/Concatenate 'cat': expected shape \[2, \?\], got \[2, 3, 1\]/);
    const w = tf.zeros([3, 3]);
    expect(() => new Concatenate({ name: 'cat2' }).apply([x, w])).toThrow(ShapeError);
    expect(() => new Add({ name: 'one' }).apply([x])).toThrow(/a list of at least 2 inputs/);
    tf.dispose([x, y, z, w]);
  });
});

describe('memory', () => {
  it('no layer leaks tensors over repeated apply, training or not', () => {
    const layers: [Layer, number[]][] = [
      [new Activation({ activation: 'gelu' }), [4, 3]],
      [new Dropout({ rate: 0.5, seed: 1 }), [4, 3]],
      [new Flatten(), [4, 3, 2]],
      [new Reshape({ targetShape: [3, 2] }), [4, 6]],
      [new BatchNormalization(), [4, 3]],
      [new LayerNormalization(), [4, 3]],
      [new Maxout({ units: 2, pieces: 2, seed: 1 }), [4, 3]],
    ];
    for (const [layer, shape] of layers) {
      const x = tf.ones(shape);
      layer.apply(x).dispose();
      const before = numTensors();
      for (let i = 0; i < 5; i++) {
        layer.apply(x, { training: true }).dispose();
        layer.apply(x).dispose();
      }
      expect(numTensors(), layer.className).toBe(before);
      x.dispose();
      layer.dispose();
    }
  });
});
