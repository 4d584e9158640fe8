import { afterAll, describe, expect, it } from 'vitest';
import { numTensors, tf } from '@nutshell/tensor';
import { Trainer } from './Trainer.js';
import { Adam } from '../optimizers/adam.js';
import { SGD } from '../optimizers/sgd.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { binaryCrossentropy } from '../losses/binaryCrossentropy.js';
import { ConfigError, DataError } from '../errors.js';
import { loadDigits, tinyMlp } from '../test-utils/fixtures.js';
import type { BatchEndEvent, TrainerEvent } from './events.js';

const digits = loadDigits();
const nTrain = 1500;
const xTrain = tf.tensor2d(digits.x.subarray(0, nTrain * 64), [nTrain, 64]);
const yTrain = tf.tensor1d(digits.y.subarray(0, nTrain), 'int32');
const xTest = tf.tensor2d(digits.x.subarray(nTrain * 64), [digits.n - nTrain, 64]);
const yTest = tf.tensor1d(digits.y.subarray(nTrain), 'int32');
afterAll(() => tf.dispose([xTrain, yTrain, xTest, yTest]));

describe('Trainer on the 8×8 digits', () => {
  it('an MLP reaches ≥ 93% test accuracy in 8 epochs, leak-free, with typed events', async () => {
    const model = tinyMlp(64, 32, 10, 7);
    const trainer = new Trainer(model, { loss: sparseCategoricalCrossentropy({ fromLogits: true }), optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'], seed: 3 });
    const events: TrainerEvent['type'][] = [];
    const batches: BatchEndEvent[] = [];
    const tensorsAtEpochEnd: number[] = [];
    trainer.on('fitStart', (e) => {
      events.push(e.type);
      expect(e).toMatchObject({ epochs: 8, stepsPerEpoch: Math.ceil(1350 / 32), samples: 1350 });
    });
    trainer.on('epochStart', (e) => events.push(e.type));
    trainer.on('batchEnd', (e) => batches.push(e));
    trainer.on('epochEnd', (e) => {
      events.push(e.type);
      tensorsAtEpochEnd.push(numTensors());
      expect(Object.keys(e.logs).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    });
    trainer.on('fitEnd', (e) => events.push(e.type));
    const before = numTensors();
    const history = await trainer.fit({ x: xTrain, y: yTrain }, { epochs: 8, batchSize: 32, validationSplit: 0.1 });
    expect(events.slice(0, 2)).toEqual(['fitStart', 'epochStart']);
    expect(events.at(-1)).toBe('fitEnd');
    // Leak-free: the same tensors are alive after every epoch, and after fit only the optimizer state was added.
    expect(new Set(tensorsAtEpochEnd).size).toBe(1);
    expect(batches).toHaveLength(8 * 43);
    expect(batches[0]).toMatchObject({ epoch: 0, batch: 0, step: 0, size: 32, lr: 0.01 });
    expect(batches[42].size).toBe(1350 - 42 * 32);
    expect(batches.at(-1)!.step).toBe(8 * 43 - 1);
    expect(batches.every((b) => Number.isFinite(b.loss) && b.samplesPerSec > 0 && b.metrics.accuracy >= 0)).toBe(true);
    expect(history.epochs).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(history.logs.loss[7]).toBeLessThan(history.logs.loss[0]);
    const test = await trainer.evaluate({ x: xTest, y: yTest }, { metrics: ['accuracy', 'precision', 'f1'] });
    expect(test.accuracy).toBeGreaterThanOrEqual(0.93);
    expect(test.precision).toBeGreaterThan(0.9);
    const logits = trainer.predict(xTest, { batchSize: 100 });
    expect(logits.shape).toEqual([297, 10]);
    logits.dispose();
    trainer.dispose();
    // Everything fit, evaluate and predict made is gone once the optimizer state is freed.
    expect(numTensors()).toBe(before);
    model.dispose();
  }, 30_000);

  it('the same seed gives the same weights bit for bit; another seed another order', async () => {
    const run = async (seed: number) => {
      const model = tinyMlp(64, 16, 10, 1);
      const t = new Trainer(model, { loss: sparseCategoricalCrossentropy({ fromLogits: true }), optimizer: new SGD({ learningRate: 0.1 }) });
      await t.fit({ x: xTrain, y: yTrain }, { epochs: 1, batchSize: 50, seed });
      const w = Array.from(await model.weights[0].variable.data());
      t.dispose();
      model.dispose();
      return w;
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  }, 30_000);

  it('class weights change the loss: weight 0 on every class but one', async () => {
    const model = tinyMlp(64, 8, 10, 2);
    const t = new Trainer(model, { loss: sparseCategoricalCrossentropy({ fromLogits: true }), optimizer: new SGD({ learningRate: 0 }) });
    const plain = await t.evaluate({ x: xTrain, y: yTrain });
    const weighted = await t.fit({ x: xTrain, y: yTrain }, { epochs: 1, batchSize: 1500, shuffle: false, classWeights: { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 10 } });
    // lr 0: the weights do not move, so the weighted loss is 10 × (class-9 loss sum) / 1500, computed independently:
    const labels = digits.y.subarray(0, 1500);
    const logits = t.predict(xTrain);
    const perSample = await sparseCategoricalCrossentropy({ fromLogits: true })(yTrain, logits, { reduction: 'none' }).data();
    let s = 0;
    for (let i = 0; i < 1500; i++) if (labels[i] === 9) s += 10 * perSample[i];
    expect(weighted.logs.loss[0]).toBeCloseTo(s / 1500, 4);
    expect(plain.loss).not.toBeCloseTo(weighted.logs.loss[0], 2);
    logits.dispose();
    t.dispose();
    model.dispose();
  });
});

describe('Trainer refuses bad input with typed errors', () => {
  const model = tinyMlp(64, 4, 10, 1);
  const trainer = new Trainer(model, { loss: sparseCategoricalCrossentropy({ fromLogits: true }), optimizer: 'sgd' });
  afterAll(() => model.dispose());

  it('batch size ≤ 0, bad epochs, bad split', async () => {
    await expect(trainer.fit({ x: xTest, y: yTest }, { epochs: 1, batchSize: 0 })).rejects.toThrow(ConfigError);
    await expect(trainer.fit({ x: xTest, y: yTest }, { epochs: 1, batchSize: -4 })).rejects.toThrow('fit: batchSize must be a positive integer, got -4.');
    await expect(trainer.fit({ x: xTest, y: yTest }, { epochs: 1.5 })).rejects.toThrow('fit: epochs must be an integer ≥ 0, got 1.5.');
    await expect(trainer.fit({ x: xTest, y: yTest }, { epochs: 1, validationSplit: 1 })).rejects.toThrow('fit: validationSplit must be in [0, 1), got 1.');
  });

  it('features and labels of different lengths', async () => {
    const y = tf.tensor1d([1, 2, 3], 'int32');
    await expect(trainer.fit({ x: xTest, y }, { epochs: 1 })).rejects.toThrow(DataError);
    await expect(trainer.fit({ x: xTest, y }, { epochs: 1 })).rejects.toThrow('fit: x has 297 samples but y has 3; features and labels must have the same length.');
    y.dispose();
  });

  it('a label out of range, naming the row', async () => {
    const labels = digits.y.slice(0, 20);
    labels[13] = 10;
    const y = tf.tensor1d(labels, 'int32');
    const x = tf.slice(xTrain, 0, 20);
    const err = await trainer.fit({ x, y }, { epochs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).row).toBe(13);
    expect((err as Error).message).toBe('fit: label 10 at row 13 is outside the classes [0, 10) the model predicts (10 outputs).');
    tf.dispose([x, y]);
  });

  it('NaN in the features, naming the row', async () => {
    const values = digits.x.slice(0, 20 * 64);
    values[7 * 64 + 5] = NaN;
    const x = tf.tensor2d(values, [20, 64]);
    const y = tf.slice(yTrain, 0, 20);
    await expect(trainer.fit({ x, y }, { epochs: 1 })).rejects.toThrow('fit: x[7] contains NaN (at feature 5); remove or impute the row before training.');
    tf.dispose([x, y]);
  });

  it('NaN in the rows a validation split holds out is named by its row in the data given', async () => {
    const values = digits.x.slice(0, 20 * 64);
    values[18 * 64] = Infinity;
    const x = tf.tensor2d(values, [20, 64]);
    const y = tf.slice(yTrain, 0, 20);
    await expect(trainer.fit({ x, y }, { epochs: 1, validationSplit: 0.2 })).rejects.toThrow('fit: x[18] contains Infinity (at feature 0)');
    const clean = tf.slice(xTrain, 0, 20);
    await expect(trainer.fit({ x: clean, y }, { epochs: 1, validationSplit: 0.01 })).rejects.toThrow(
      'fit: validationSplit 0.01 of 20 samples leaves 20 to train on and 0 to validate.',
    );
    tf.dispose([x, y, clean]);
  });

  it('a second fit while one runs is refused; the stopped epoch is the one training stopped in', async () => {
    const x = tf.slice(xTrain, 0, 64);
    const y = tf.slice(yTrain, 0, 64);
    const running = trainer.fit({ x, y }, { epochs: 3, batchSize: 8, callbacks: [{ onBatchEnd: (e, ctx) => (e.step === 10 ? ctx.stop('enough') : undefined) }] });
    await expect(trainer.fit({ x, y }, { epochs: 1 })).rejects.toThrow('fit: this Trainer is already training; await the running fit first.');
    const h = await running;
    expect(h.stopped).toEqual({ epoch: 1, step: 11, reason: 'enough' });
    expect(h.epochs).toEqual([0]);
    tf.dispose([x, y]);
  });

  it('binary labels outside [0, 1]; unknown metric; missing loss', async () => {
    const m = tinyMlp(2, 2, 1, 1);
    const t = new Trainer(m, { loss: binaryCrossentropy({ fromLogits: true }), optimizer: 'adam' });
    const x = tf.tensor2d([[0, 1], [1, 0]]);
    const y = tf.tensor2d([[1], [2]]);
    await expect(t.fit({ x, y }, { epochs: 1 })).rejects.toThrow('fit: label 2 at row 1 is outside [0, 1], which a binary loss needs.');
    expect(() => new Trainer(m, { loss: 'mse', optimizer: 'adam', metrics: ['acuracy'] })).toThrow(/Unknown metric 'acuracy'/);
    expect(() => new Trainer(m, { optimizer: 'adam' } as never)).toThrow('Trainer: options.loss is required (a loss name or a Loss).');
    tf.dispose([x, y]);
    m.dispose();
  });
});
