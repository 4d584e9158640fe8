import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { Dense, Sequential, regularizers } from '@nutshell/layers';
import { Trainer } from './Trainer.js';
import { SGD } from '../optimizers/sgd.js';
import { Adam } from '../optimizers/adam.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { binaryCrossentropy } from '../losses/binaryCrossentropy.js';
import { MemoryCheckpointStore } from '../checkpoint/store.js';
import { tinyMlp } from '../test-utils/fixtures.js';
import type { BatchEndEvent } from './events.js';
import type { DataSource } from './dataSource.js';

const n = 192;
const xs = tf.randomUniform([n, 5], -1, 1, 'float32', 21);
const ys = tf.argMax(xs, 1);
afterAll(() => tf.dispose([xs, ys]));
const scce = sparseCategoricalCrossentropy({ fromLogits: true });

describe('fit details', () => {
  it('gradient norms in batch events equal norms computed independently', async () => {
    const model = tinyMlp(5, 6, 5, 4);
    const expected = tf.tidy(() => {
      const vars = model.weights.map((w) => w.variable);
      const { grads } = tf.variableGrads(() => scce(ys, model.apply(xs)) as tf.Scalar, vars);
      return vars.map((v) => Math.sqrt(tf.sum(tf.square(grads[v.name])).dataSync()[0]));
    });
    const t = new Trainer(model, { loss: scce, optimizer: new SGD({ learningRate: 0.1 }) });
    let first: BatchEndEvent | undefined;
    t.on('batchEnd', (e) => void (first ??= e));
    await t.fit({ x: xs, y: ys }, { epochs: 1, batchSize: n, shuffle: false, trackGradientNorms: true });
    expect(Object.keys(first!.gradNorms!)).toEqual(['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias']);
    Object.values(first!.gradNorms!).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 5));
    t.dispose();
    model.dispose();
  });

  it('adds the layers’ regularization penalty to the loss', async () => {
    const model = new Sequential([new Dense({ units: 5, seed: 3, kernelRegularizer: regularizers.l2(0.5) })], { inputShape: [5] });
    const t = new Trainer(model, { loss: scce, optimizer: new SGD({ learningRate: 0 }) });
    const h = await t.fit({ x: xs, y: ys }, { epochs: 1, batchSize: n });
    const data = (await t.evaluate({ x: xs, y: ys })).loss;
    const kernel = await model.weights.find((w) => w.name.endsWith('kernel'))!.variable.data();
    const penalty = 0.5 * Array.from(kernel).reduce((s, v) => s + v * v, 0); // λ·Σw², no ½ (as in Keras)
    expect(h.logs.loss[0]).toBeCloseTo(data + penalty, 4);
    t.dispose();
    model.dispose();
  });

  it('with eventLag 1 every batch is still reported with its own step and rate, and resume stays exact', async () => {
    const run = async (opts: { lag: 0 | 1; store?: MemoryCheckpointStore; crash?: number; resume?: boolean }) => {
      const model = tinyMlp(5, 8, 5, opts.resume ? 9 : 2);
      const t = new Trainer(model, { loss: scce, optimizer: new Adam({ learningRate: 0.02 }) });
      const steps: number[] = [];
      t.on('batchEnd', (e) => void steps.push(e.step));
      await t.fit({ x: xs, y: ys }, {
        epochs: 2,
        batchSize: 16,
        eventLag: opts.lag,
        ...(opts.store && !opts.resume ? { checkpoint: { to: opts.store, everySteps: 5 } } : {}),
        ...(opts.resume ? { resume: opts.store } : {}),
        callbacks: opts.crash === undefined ? [] : [{ onBatchEnd: (e, ctx) => (e.step === opts.crash ? ctx.stop('crash') : undefined) }],
      });
      const w = await Promise.all(model.weights.map(async (x) => Array.from(await x.variable.data())));
      t.dispose();
      model.dispose();
      return { w, steps };
    };
    const plain = await run({ lag: 0 });
    const lagged = await run({ lag: 1 });
    expect(lagged.steps).toEqual(plain.steps);
    expect(lagged.w).toEqual(plain.w);
    const store = new MemoryCheckpointStore();
    const crashed = await run({ lag: 1, store, crash: 7 });
    expect(crashed.steps.at(-1)).toBe(8); // with the lag, a stop takes effect one batch later
    const resumed = await run({ lag: 1, store, resume: true });
    expect(resumed.steps[0]).toBe(5);
    expect(resumed.w).toEqual(plain.w);
  }, 30_000);

  it('validates on a DataSource with dataset metrics (val_auc, val_f1) for a binary model', async () => {
    const xb = tf.randomUniform([200, 3], -1, 1, 'float32', 8);
    const yb = tf.cast(tf.greater(tf.sum(xb, 1, true), 0), 'float32');
    const source: DataSource = {
      size: 200,
      gather: (idx) => tf.tidy(() => {
        const i = tf.tensor1d(Array.from(idx), 'int32');
        return { x: tf.gather(xb, i), y: tf.gather(yb, i) };
      }),
    };
    const model = tinyMlp(3, 8, 1, 5);
    const t = new Trainer(model, { loss: binaryCrossentropy({ fromLogits: true }), optimizer: new Adam({ learningRate: 0.05 }), metrics: ['accuracy', 'auc', 'f1'] });
    const h = await t.fit(source, { epochs: 5, batchSize: 20, validationData: source });
    expect(Object.keys(h.logs).sort()).toEqual(['accuracy', 'loss', 'lr', 'val_accuracy', 'val_auc', 'val_f1', 'val_loss']);
    expect(h.logs.val_auc.at(-1)).toBeGreaterThan(0.95);
    expect(h.logs.val_accuracy.at(-1)).toBeGreaterThan(0.85);
    // predict agrees with apply, batch by batch
    const p = t.predict(xb, { batchSize: 64 });
    const direct = model.apply(xb) as Tensor;
    expect(Array.from(await p.data())).toEqual(Array.from(await direct.data()));
    tf.dispose([p, direct, xb, yb]);
    t.dispose();
    model.dispose();
  });

  it('a DataSource that exposes values() is checked without gathering every row', async () => {
    const xv = Float32Array.from({ length: 100 * 5 }, (_, i) => (i % 7) / 7);
    xv[63 * 5 + 2] = NaN;
    const yv = Int32Array.from({ length: 100 }, (_, i) => i % 5);
    let gathered = 0;
    const source: DataSource = {
      size: 100,
      values: () => ({ x: xv, y: yv }),
      gather(idx) {
        gathered += idx.length;
        const rows = Array.from(idx);
        return { x: tf.tensor2d(rows.flatMap((r) => Array.from(xv.subarray(r * 5, r * 5 + 5))), [rows.length, 5]), y: tf.tensor1d(rows.map((r) => yv[r]), 'int32') };
      },
    };
    const model = tinyMlp(5, 4, 5, 1);
    const t = new Trainer(model, { loss: scce, optimizer: new SGD() });
    await expect(t.fit(source, { epochs: 1 })).rejects.toThrow('fit: x[63] contains NaN (at feature 2)');
    expect(gathered).toBe(1); // one sample, to learn the model's output size
    t.dispose();
    model.dispose();
  });
});
