import { layerFromConfig, modelFromBytes, modelToBytes, Sequential } from '@nutshell/layers';
import { Rng, ShapeError, numTensors, randomNormal, read, tf, type Tensor } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import {
  AvgPool1D,
  AvgPool2D,
  Conv1D,
  Conv2D,
  DepthwiseConv2D,
  GlobalAvgPool1D,
  GlobalAvgPool2D,
  GlobalMaxPool1D,
  GlobalMaxPool2D,
  Inception,
  L2Pool2D,
  MaxPool1D,
  MaxPool2D,
  SeparableConv2D,
  conv1d,
  conv2d,
  inceptionNet,
  lenet,
  maxPool2d,
} from '../index.js';

async function maxDiff(a: Tensor, b: Tensor): Promise<number> {
  const [x, y] = [await read(a), await read(b)];
  expect(a.shape).toEqual(b.shape);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

describe('Inception', () => {
  it("GoogLeNet's inception (3a): 163,328 weights + 368 biases, 28×28×192 → 28×28×256", async () => {
    const layer = new Inception({ filters1x1: 64, filters3x3Reduce: 96, filters3x3: 128, filters5x5Reduce: 16, filters5x5: 32, poolProjection: 32, seed: 1 });
    expect(layer.computeOutputShape([null, 28, 28, 192])).toEqual([null, 28, 28, 256]);
    const x = randomNormal([1, 28, 28, 192], { seed: 2 });
    const y = layer.apply(x);
    expect(y.shape).toEqual([1, 28, 28, 256]);
    const kernels = layer.weights.filter((w) => w.name.endsWith('/kernel')).reduce((n, w) => n + w.variable.size, 0);
    const biases = layer.weights.filter((w) => w.name.endsWith('/bias')).reduce((n, w) => n + w.variable.size, 0);
    expect(kernels).toBe(163_328);
    expect(biases).toBe(368);
    expect(layer.countParams()).toBe(163_696);
    tf.dispose([x, y]);
    layer.dispose();
  });

  it('concatenates the four branches, each computed as the paper draws it', async () => {
    const layer = new Inception({ filters1x1: 2, filters3x3Reduce: 3, filters3x3: 4, filters5x5Reduce: 2, filters5x5: 3, poolProjection: 2, seed: 5 });
    const x = randomNormal([2, 7, 6, 3], { seed: 3 });
    const y = layer.apply(x);
    expect(y.shape).toEqual([2, 7, 6, 11]);
    const v = Object.fromEntries(layer.weights.map((w) => [w.name.split('/').slice(1).join('/'), w.variable]));
    const conv = (t: Tensor, b: string) => tf.relu(tf.add(conv2d(t, v[`${b}/kernel`], { padding: 'same' }), v[`${b}/bias`]));
    const expected = tf.tidy(() =>
      tf.concat(
        [
          conv(x, 'branch1x1'),
          conv(conv(x, 'branch3x3_reduce'), 'branch3x3'),
          conv(conv(x, 'branch5x5_reduce'), 'branch5x5'),
          conv(maxPool2d(x, { poolSize: 3, strides: 1, padding: 'same' }), 'pool_projection'),
        ],
        3,
      ),
    );
    expect(await maxDiff(y, expected)).toBeLessThan(1e-5);
    expect(() => layer.apply(tf.zeros([1, 7, 6, 4]))).toThrow(/Inception '.*': expected shape \[\?, \?, \?, 3\], got \[1, 7, 6, 4\]/);
    tf.dispose([x, y, expected]);
  });
});

describe('convolution layers', () => {
  it('Conv2D computes activation(conv2d(x, kernel) + bias) and names its weights', async () => {
    const layer = new Conv2D({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu', seed: 1, biasInitializer: 'ones' });
    const x = randomNormal([2, 9, 8, 3], { seed: 4 });
    const y = layer.apply(x);
    expect(y.shape).toEqual([2, 5, 4, 4]);
    expect(layer.weights.map((w) => w.name)).toEqual([`${layer.name}/kernel`, `${layer.name}/bias`]);
    const [k, b] = layer.weights.map((w) => w.variable);
    const ref = tf.tidy(() => tf.relu(tf.add(conv2d(x, k, { strides: 2, padding: 'same' }), b)));
    expect(await maxDiff(y, ref)).toBeLessThan(1e-6);
    expect(() => layer.apply(tf.zeros([1, 9, 8, 2]))).toThrow(ShapeError);
    tf.dispose([x, y, ref]);
  });

  it('every algorithm gives the same layer output', async () => {
    const x = randomNormal([1, 10, 10, 2], { seed: 6 });
    const outs: Tensor[] = [];
    for (const algorithm of ['direct', 'im2col', 'fft', 'winograd'] as const) {
      outs.push(new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', seed: 3, algorithm }).apply(x));
    }
    for (const o of outs.slice(1)) expect(await maxDiff(o, outs[0])).toBeLessThan(1e-4);
    tf.dispose([x, ...outs]);
  });

  it('Conv1D is conv1d plus bias', async () => {
    const layer = new Conv1D({ filters: 2, kernelSize: 3, padding: 'same', dilationRate: 2, seed: 2 });
    const x = randomNormal([2, 10, 3], { seed: 1 });
    const y = layer.apply(x);
    expect(y.shape).toEqual([2, 10, 2]);
    const [k, b] = layer.weights.map((w) => w.variable);
    const ref = tf.tidy(() => tf.add(conv1d(x, k, { padding: 'same', dilation: 2 }), b));
    expect(await maxDiff(y, ref)).toBeLessThan(1e-6);
    expect(layer.computeOutputShape([null, 10, 3])).toEqual([null, 10, 2]);
    tf.dispose([x, y, ref]);
  });

  it("DepthwiseConv2D filters each channel on its own (matches tfjs's depthwiseConv2d)", async () => {
    const layer = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, useBias: false, seed: 3 });
    const x = randomNormal([1, 6, 6, 3], { seed: 2 });
    const y = layer.apply(x);
    expect(layer.countParams()).toBe(3 * 3 * 3 * 2);
    const ref = tf.depthwiseConv2d(x as tf.Tensor4D, layer.weights[0].variable as tf.Tensor4D, 1, 'valid');
    expect(await maxDiff(y, ref)).toBeLessThan(1e-6);
    tf.dispose([x, y, ref]);
  });

  it('SeparableConv2D is depthwise then pointwise, with far fewer weights than Conv2D', async () => {
    const layer = new SeparableConv2D({ filters: 8, kernelSize: 3, padding: 'same', seed: 4 });
    const x = randomNormal([1, 5, 5, 4], { seed: 5 });
    const y = layer.apply(x);
    expect(y.shape).toEqual([1, 5, 5, 8]);
    expect(layer.countParams()).toBe(3 * 3 * 4 + 4 * 8 + 8);
    const [dw, pw, b] = layer.weights.map((w) => w.variable);
    const ref = tf.tidy(() => tf.add(tf.conv2d(tf.depthwiseConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, 1, 'same'), pw as tf.Tensor4D, 1, 'valid'), b));
    expect(await maxDiff(y, ref)).toBeLessThan(1e-5);
    tf.dispose([x, y, ref]);
  });

  it('pooling layers: shapes, values and errors', async () => {
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);
    expect(Array.from(await read(new MaxPool2D().apply(x)))).toEqual([5, 7, 13, 15]);
    expect(Array.from(await read(new AvgPool2D({ poolSize: 4 }).apply(x)))).toEqual([7.5]);
    expect(new L2Pool2D({ poolSize: 3, strides: 1 }).computeOutputShape([null, 4, 4, 1])).toEqual([null, 2, 2, 1]);
    expect(new MaxPool2D({ poolSize: 3, strides: 2, padding: 'same' }).computeOutputShape([null, 5, 7, 2])).toEqual([null, 3, 4, 2]);
    expect(Array.from(await read(new GlobalMaxPool2D().apply(x)))).toEqual([15]);
    expect(Array.from(await read(new GlobalAvgPool2D().apply(x)))).toEqual([7.5]);
    const s = tf.tensor3d([1, 4, 2, 3], [1, 4, 1]);
    expect(Array.from(await read(new MaxPool1D().apply(s)))).toEqual([4, 3]);
    expect(Array.from(await read(new AvgPool1D().apply(s)))).toEqual([2.5, 2.5]);
    expect(Array.from(await read(new GlobalMaxPool1D().apply(s)))).toEqual([4]);
    expect(Array.from(await read(new GlobalAvgPool1D().apply(s)))).toEqual([2.5]);
    expect(() => new MaxPool2D({ poolSize: 5 }).apply(x)).toThrow(/MaxPool2D '.*': .*pool window 5 is larger than the input/);
    expect(() => new MaxPool2D({ poolSize: 0 })).toThrow(/MaxPool2D: poolSize must be/);
  });

  it('every layer round-trips through its config', () => {
    const layers = [
      new Conv2D({ filters: 3, kernelSize: 5, strides: [2, 1], padding: 'same', activation: 'tanh', groups: 1, algorithm: 'fft', kernelRegularizer: { className: 'l2', config: { l2: 0.01 } } }),
      new Conv1D({ filters: 2, kernelSize: 4, dilationRate: 2 }),
      new DepthwiseConv2D({ kernelSize: [3, 1], depthMultiplier: 3 }),
      new SeparableConv2D({ filters: 5, kernelSize: 3, seed: 9 }),
      new Inception({ filters1x1: 1, filters3x3Reduce: 2, filters3x3: 3, filters5x5Reduce: 4, filters5x5: 5, poolProjection: 6, seed: 2 }),
      new MaxPool2D({ poolSize: 3, strides: 2, padding: 'same' }),
      new AvgPool2D({ poolSize: [2, 3] }),
      new L2Pool2D(),
      new MaxPool1D({ poolSize: 3 }),
      new AvgPool1D(),
      new GlobalMaxPool2D(),
      new GlobalAvgPool2D(),
      new GlobalMaxPool1D(),
      new GlobalAvgPool1D(),
    ];
    for (const l of layers) {
      const config = JSON.parse(JSON.stringify(l.getConfig()));
      const copy = layerFromConfig(config);
      expect(copy.constructor).toBe(l.constructor);
      expect(copy.getConfig()).toEqual(config);
    }
  });
});

describe('networks', () => {
  it('lenet has the documented shape and parameter count, and saves and loads with its weights', async () => {
    const model = lenet({ seed: 1 });
    expect(model.outputShape).toEqual([null, 10]);
    expect(model.countParams()).toBe(5994);
    const x = randomNormal([2, 28, 28, 1], { seed: 7 });
    const y = model.predict(x);
    const copy = modelFromBytes(await modelToBytes(model));
    const y2 = copy.predict(x);
    expect(await maxDiff(y, y2)).toBe(0);
    tf.dispose([x, y, y2]);
    model.dispose();
    copy.dispose();
  });

  it('inceptionNet is small, seeded, and reproducible', async () => {
    const a = inceptionNet({ seed: 3 });
    const b = inceptionNet({ seed: 3 });
    expect(a.outputShape).toEqual([null, 10]);
    expect(a.countParams()).toBeLessThan(30_000);
    expect(a.layers.filter((l) => l instanceof Inception)).toHaveLength(3);
    const x = randomNormal([2, 28, 28, 1], { seed: 8 });
    const [ya, yb] = [a.predict(x), b.predict(x)];
    expect(await maxDiff(ya, yb)).toBe(0);
    tf.dispose([x, ya, yb]);
    a.dispose();
    b.dispose();
  });

  it('a LeNet learns to tell horizontal from vertical bars (and training leaks no tensors)', async () => {
    // 14×14 images with one bright bar, horizontal (class 0) or vertical (class 1), at a random place, plus noise.
    const rng = new Rng(42);
    const n = 32;
    const xs = new Float32Array(n * 196);
    const ys = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const vertical = i % 2;
      const at = 1 + rng.nextInt(12);
      for (let r = 0; r < 14; r++)
        for (let c = 0; c < 14; c++) {
          const on = vertical ? c === at : r === at;
          xs[i * 196 + r * 14 + c] = (on ? 1 : 0) + 0.1 * (rng.nextFloat() - 0.5);
        }
      ys[i * 2 + vertical] = 1;
    }
    const x = tf.tensor4d(xs, [n, 14, 14, 1]);
    const y = tf.tensor2d(ys, [n, 2]);
    const model: Sequential = lenet({ inputShape: [14, 14, 1], numClasses: 2, filters: [4, 8], kernelSize: 3, seed: 5 });
    const optimizer = tf.train.adam(0.02);
    const vars = model.trainableWeights.map((w) => w.variable);
    const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })) as tf.Scalar, true, vars)?.dispose();
    step(); // creates the optimizer's moment slots
    const before = numTensors();
    for (let i = 0; i < 29; i++) step();
    expect(numTensors()).toBe(before);
    const pred = tf.tidy(() => tf.argMax(model.predict(x), 1));
    const labels = tf.tidy(() => tf.argMax(y, 1));
    const [p, l] = [await read(pred), await read(labels)];
    const accuracy = Array.from(p).filter((v, i) => v === l[i]).length / n;
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    tf.dispose([x, y, pred, labels]);
    optimizer.dispose();
    model.dispose();
  }, 60_000);
});
