import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, numTensors, randomNormal, tf, type Tensor } from '@nutshell/tensor';
import { LabelError, LogisticRegression, modelFromBytes, modelToBytes, modelFromConfig } from './index.js';

// Data from a known logistic model: P(y = 1 | x) = σ(2·x0 − 1·x1 + 0.5), x0 noise-free signal, x2 irrelevant.
function synthetic(n: number, seed: number): { x: Tensor; y: number[] } {
  const rng = new Rng(seed);
  const xs: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.nextNormal();
    const b = rng.nextNormal();
    const c = rng.nextNormal();
    xs.push(a, b, c);
    y.push(rng.nextFloat() < 1 / (1 + Math.exp(-(2 * a - b + 0.5))) ? 1 : 0);
  }
  return { x: tf.tensor2d(xs, [n, 3]), y };
}

describe('LogisticRegression (binary)', () => {
  it('recovers the generating coefficients and reports odds ratios by name', async () => {
    const { x, y } = synthetic(3000, 1);
    const model = new LogisticRegression({ features: 3, featureNames: ['signal', 'counter', 'noise'], classNames: ['no', 'yes'] });
    const before = numTensors();
    const { loss } = await model.fit(x, y, { epochs: 300, learningRate: 0.1 });
    expect(numTensors()).toBe(before);
    expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
    const { coefficients, intercepts } = await model.coefficients();
    const w = Object.fromEntries(coefficients.map((c) => [c.feature, c]));
    // Maximum likelihood on 3000 samples: within ~0.15 of the truth.
    expect(w.signal.weight).toBeCloseTo(2, 0);
    expect(Math.abs(w.signal.weight - 2)).toBeLessThan(0.2);
    expect(Math.abs(w.counter.weight + 1)).toBeLessThan(0.15);
    expect(Math.abs(w.noise.weight)).toBeLessThan(0.1);
    expect(Math.abs(intercepts[0].value - 0.5)).toBeLessThan(0.15);
    expect(w.signal.oddsRatio).toBeCloseTo(Math.exp(w.signal.weight), 10);
    expect(w.signal.class).toBe('yes');
    expect(await model.accuracy(x, y)).toBeGreaterThan(0.75);
    x.dispose();
    model.dispose();
  });

  it('its loss gradient matches the closed form Xᵀ(σ(Xw + b) − y)/n', async () => {
    const { x, y } = synthetic(50, 2);
    const model = new LogisticRegression({ features: 3 });
    const [k, b] = model.weights.map((w) => w.variable);
    k.assign(tf.tensor2d([[0.3], [-0.2], [0.1]]));
    b.assign(tf.tensor1d([0.05]));
    const labels = tf.tensor1d(y);
    const { grads, value } = tf.variableGrads(() => model.loss(x, labels) as tf.Scalar, [k, b]);
    const closed = tf.tidy(() => {
      const r = tf.sub(tf.reshape(tf.sigmoid(tf.add(tf.matMul(x, k), b)), [-1]), labels);
      return [tf.div(tf.matMul(tf.transpose(x), tf.reshape(r, [-1, 1])), 50), tf.mean(r)];
    });
    const gk = await grads[k.name].data();
    const ck = await closed[0].data();
    Array.from(gk).forEach((v, i) => expect(v).toBeCloseTo(ck[i], 6));
    expect((await grads[b.name].data())[0]).toBeCloseTo((await closed[1].data())[0], 6);
    tf.dispose([value, labels, x, ...closed, ...Object.values(grads)]);
    model.dispose();
  });

  it('stays finite for separable data with large logits', async () => {
    const x = tf.tensor2d([[-100], [-50], [50], [100]]);
    const model = new LogisticRegression({ features: 1 });
    const { loss } = await model.fit(x, [0, 0, 1, 1], { epochs: 50, learningRate: 0.5 });
    for (const l of loss) expect(Number.isFinite(l)).toBe(true);
    expect(await model.predictClasses(x)).toEqual(new Int32Array([0, 0, 1, 1]));
    x.dispose();
    model.dispose();
  });
});

describe('LogisticRegression (multinomial)', () => {
  it('separates three Gaussian clusters with a softmax and round-trips through bytes', async () => {
    const rng = new Rng(3);
    const centres = [[0, 3], [3, -2], [-3, -2]];
    const xs: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 300; i++) {
      const k = i % 3;
      xs.push(centres[k][0] + 0.7 * rng.nextNormal(), centres[k][1] + 0.7 * rng.nextNormal());
      y.push(k);
    }
    const x = tf.tensor2d(xs, [300, 2]);
    const model = new LogisticRegression({ features: 2, classes: 3, classNames: ['a', 'b', 'c'], l2: 1e-3 });
    await model.fit(x, y, { epochs: 200, learningRate: 0.1 });
    expect(await model.accuracy(x, y)).toBeGreaterThan(0.97);
    const p = model.predict(x);
    expect(p.shape).toEqual([300, 3]);
    const sums = await tf.tidy(() => tf.sum(p, -1)).data();
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
    const { coefficients } = await model.coefficients();
    expect(coefficients.length).toBe(6);
    expect(coefficients.map((c) => c.class)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);

    const copy = modelFromBytes(await modelToBytes(model)) as LogisticRegression;
    expect(copy).toBeInstanceOf(LogisticRegression);
    expect(copy.classNames).toEqual(['a', 'b', 'c']);
    expect(Array.from(await copy.predict(x).data())).toEqual(Array.from(await p.data()));
    expect(modelFromConfig(JSON.parse(JSON.stringify(model.getConfig())))).toBeInstanceOf(LogisticRegression);
    tf.dispose([x, p]);
    model.dispose();
    copy.dispose();
  });

  it('refuses bad arguments and mislabelled data', async () => {
    expect(() => new LogisticRegression({ features: 0 })).toThrow(/features must be a positive integer/);
    expect(() => new LogisticRegression({ features: 2, classes: 1 })).toThrow(/classes must be an integer >= 2/);
    expect(() => new LogisticRegression({ features: 2, featureNames: ['a'] })).toThrow(/1 featureNames for 2 features/);
    const m = new LogisticRegression({ features: 2, name: 'lr' });
    const x = randomNormal([4, 2], { seed: 1 });
    await expect(m.fit(x, [0, 1, 1])).rejects.toThrow(ShapeError);
    await expect(m.fit(x, [0, 1, 2, 1])).rejects.toThrow(/label 2 at row 2 is not a class index in \[0, 2\)/);
    const wide = tf.ones([4, 3]);
    await expect(m.fit(wide, [0, 1, 1, 0])).rejects.toThrow(/expected shape \[\?, 2\], got \[1, 3\]|expected shape \[\?, 2\]/);
    tf.dispose([x, wide]);
    m.dispose();
  });

  it.each([
    ['label 2 of 2 classes', [0, 1, 2, 1], 2, 2],
    ['label −1', [0, -1, 1, 1], 1, -1],
    ['fractional label 0.5', [0, 1, 1, 0.5], 3, 0.5],
    ['NaN label', [NaN, 1, 1, 0], 0, NaN],
  ])('refuses tensor labels out of range (%s) with a LabelError, before training, leak-free', async (_what, labels, row, label) => {
    const m = new LogisticRegression({ features: 2, name: 'lr_tensor' });
    const x = randomNormal([4, 2], { seed: 2 });
    const y = tf.tensor1d(labels);
    m.build([null, 2]);
    const w0 = Array.from(await m.weights[0].variable.data());
    const before = numTensors();
    const err = await m.fit(x, y, { epochs: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabelError);
    expect((err as LabelError).row).toBe(row);
    expect((err as LabelError).label).toBe(label);
    expect((err as Error).message).toBe(`LogisticRegression 'lr_tensor'.fit: label ${label} at row ${row} is not a class index in [0, 2).`);
    expect(numTensors()).toBe(before);
    expect(Array.from(await m.weights[0].variable.data())).toEqual(w0);
    tf.dispose([x, y]);
    m.dispose();
  });
});
