import { afterAll, describe, expect, it } from 'vitest';
import { numTensors, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { Trainer } from '../trainer/Trainer.js';
import { SGD } from '../optimizers/sgd.js';
import { meanSquaredError } from '../losses/meanSquaredError.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { EarlyStopping } from './EarlyStopping.js';
import { ReduceLROnPlateau } from './ReduceLROnPlateau.js';
import { LearningRateScheduler } from './LearningRateScheduler.js';
import { TerminateOnNaN } from './TerminateOnNaN.js';
import { CSVLogger } from './CSVLogger.js';
import { ModelCheckpoint } from './ModelCheckpoint.js';
import { MemoryCheckpointStore } from '../checkpoint/store.js';
import { loadWeightsCheckpoint } from '../checkpoint/weightsFile.js';
import { stepDecay } from '../schedules/schedule.js';
import { ConfigError, CheckpointError } from '../errors.js';
import type { Callback, TrainingContext } from './callback.js';
import type { TrainableModel } from '../trainer/model.js';
import { tinyMlp } from '../test-utils/fixtures.js';

// A small separable problem: the class is the index of the largest of 4 features.
const n = 256;
const xs = tf.randomUniform([n, 4], 0, 1, 'float32', 11);
const ys = tf.argMax(xs, 1);
afterAll(() => tf.dispose([xs, ys]));
const scce = sparseCategoricalCrossentropy({ fromLogits: true });

function fakeContext(model: TrainableModel, lr = 0.1): TrainingContext & { stopped?: string } {
  const ctx = {
    model,
    optimizer: new SGD({ learningRate: lr }),
    stopped: undefined as string | undefined,
    stop(reason: string) {
      ctx.stopped = reason;
    },
  };
  return ctx;
}
const epochEnd = (epoch: number, logs: Record<string, number>) => ({ type: 'epochEnd' as const, epoch, logs, lr: 0.1, seconds: 0 });

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = tinyMlp(4, 3, 2, 1);
    const ctx = fakeContext(model);
    const cb = new EarlyStopping({ patience: 1, restoreBestWeights: true });
    await cb.onEpochEnd(epochEnd(0, { val_loss: 1.0 }), ctx);
    model.weights[0].variable.assign(tf.onesLike(model.weights[0].variable));
    const best = Array.from(model.weights[0].variable.dataSync());
    await cb.onEpochEnd(epochEnd(1, { val_loss: 0.999 }), ctx); // an improvement, though the weights got worse
    await cb.onEpochEnd(epochEnd(2, { val_loss: 1.2 }), ctx);
    expect(ctx.stopped).toBe('EarlyStopping: val_loss has not improved for 1 epoch(s) (best 0.999 at epoch 1).');
    model.weights[0].variable.assign(tf.zerosLike(model.weights[0].variable));
    cb.onFitEnd(undefined, ctx);
    expect(Array.from(model.weights[0].variable.dataSync())).toEqual(best);
    model.dispose();
  });

  it('maximises accuracies; names what the logs hold when the monitored value is missing', async () => {
    const model = tinyMlp(4, 3, 2, 1);
    const ctx = fakeContext(model);
    const cb = new EarlyStopping({ monitor: 'val_accuracy', patience: 1 });
    await cb.onEpochEnd(epochEnd(0, { val_accuracy: 0.5 }), ctx);
    await cb.onEpochEnd(epochEnd(1, { val_accuracy: 0.6 }), ctx);
    expect(ctx.stopped).toBeUndefined();
    await cb.onEpochEnd(epochEnd(2, { val_accuracy: 0.55 }), ctx);
    expect(ctx.stopped).toMatch(/val_accuracy has not improved/);
    await expect(new EarlyStopping().onEpochEnd(epochEnd(0, { loss: 1 }), ctx)).rejects.toThrow(ConfigError);
    await expect(new EarlyStopping().onEpochEnd(epochEnd(0, { loss: 1 }), ctx)).rejects.toThrow(
      "EarlyStopping: 'val_loss' is not in the epoch logs (loss) (pass validationData or validationSplit to fit).",
    );
    model.dispose();
  });

  it('ends a real fit early when nothing improves (learning rate 0)', async () => {
    const model = tinyMlp(4, 8, 4, 1);
    const t = new Trainer(model, { loss: scce, optimizer: new SGD({ learningRate: 0 }) });
    const h = await t.fit({ x: xs, y: ys }, { epochs: 10, batchSize: 64, validationSplit: 0.25, callbacks: [new EarlyStopping({ patience: 2 })] });
    expect(h.epochs).toEqual([0, 1, 2]);
    expect(h.stopped?.reason).toMatch(/^EarlyStopping: val_loss has not improved for 2 epoch/);
    t.dispose();
    model.dispose();
  });
});

describe('ReduceLROnPlateau', () => {
  it('multiplies the rate by `factor` after `patience` flat epochs, not below the floor', () => {
    const ctx = fakeContext(tinyMlp(1, 1, 1), 1);
    const cb = new ReduceLROnPlateau({ patience: 2, factor: 0.5, minLearningRate: 0.3 });
    const losses = [1, 0.9, 0.95, 0.91, 0.92, 0.93, 0.94];
    const lrs = losses.map((l, i) => {
      cb.onEpochEnd(epochEnd(i, { val_loss: l }), ctx);
      return ctx.optimizer.learningRate;
    });
    expect(lrs).toEqual([1, 1, 1, 0.5, 0.5, 0.3, 0.3]);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow('ReduceLROnPlateau: factor must be in (0, 1), got 1.');
  });
});

describe('LearningRateScheduler', () => {
  it('sets the rate of every step from the schedule', async () => {
    const model = tinyMlp(4, 4, 4, 1);
    const t = new Trainer(model, { loss: scce, optimizer: new SGD({ learningRate: 1 }) });
    const lrs: number[] = [];
    t.on('batchEnd', (e) => lrs.push(e.lr));
    const schedule = stepDecay({ initial: 0.1, dropEvery: 3, factor: 0.5 });
    await t.fit({ x: xs, y: ys }, { epochs: 2, batchSize: 64, callbacks: [new LearningRateScheduler(schedule)] });
    expect(lrs).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map(schedule));
    t.dispose();
    model.dispose();
  });
});

describe('TerminateOnNaN', () => {
  it('names the step and the layer whose gradient went non-finite', async () => {
    // √w at w = 0 has an infinite derivative; multiplied by 0 it makes a NaN gradient while the loss is finite.
    const good = tf.variable(tf.ones([4, 1]));
    const bad = tf.variable(tf.zeros([1]));
    const weights = [
      { name: 'dense/kernel', variable: good },
      { name: 'odd/w', variable: bad },
    ];
    const model: TrainableModel = {
      weights,
      trainableWeights: weights,
      apply: (x: Tensor) => tf.add(tf.matMul(x, good), tf.mul(tf.sqrt(bad), 0)),
    };
    const cb = new TerminateOnNaN();
    const t = new Trainer(model, { loss: meanSquaredError, optimizer: new SGD({ learningRate: 0.01 }) });
    const y = tf.ones([n, 1]);
    const h = await t.fit({ x: xs, y }, { epochs: 3, batchSize: 32, callbacks: [cb] });
    // The loss itself is finite (the forward pass is fine); the gradient of 'odd/w' is not.
    expect(cb.reason).toMatch(/^TerminateOnNaN: at step 0 \(epoch 0, batch 0\) the loss is [0-9.e+-]+\. The gradient of 'odd\/w' \(layer 'odd'\) is NaN\.$/);
    expect(h.stopped?.reason).toBe(cb.reason);
    expect(h.epochs).toEqual([]);
    tf.dispose([good, bad, y]);
    t.dispose();
  });
});

describe('CSVLogger', () => {
  it('writes a header and one row per epoch', async () => {
    let text = '';
    const model = tinyMlp(4, 4, 4, 1);
    const t = new Trainer(model, { loss: scce, optimizer: new SGD({ learningRate: 0.1 }), metrics: ['accuracy'] });
    const h = await t.fit({ x: xs, y: ys }, {
      epochs: 2,
      batchSize: 64,
      callbacks: [new CSVLogger((s, { truncate }) => void (text = truncate ? s : text + s))],
    });
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('epoch,loss,accuracy,lr');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(`1,${h.logs.loss[1]},${h.logs.accuracy[1]},0.1`);
    t.dispose();
    model.dispose();
  });
});

describe('ModelCheckpoint', () => {
  it('saves the best epoch and the newest N; best.weights loads back', async () => {
    const store = new MemoryCheckpointStore('ckpts');
    const model = tinyMlp(4, 8, 4, 3);
    const t = new Trainer(model, { loss: scce, optimizer: new SGD({ learningRate: 0.5 }) });
    const mc = new ModelCheckpoint({ to: store, monitor: 'loss', saveBestOnly: false, keep: 2 });
    let bestWeights: number[] = [];
    let bestLoss = Infinity;
    t.on('epochEnd', (e) => {
      if (e.logs.loss < bestLoss) {
        bestLoss = e.logs.loss;
        bestWeights = Array.from(model.weights[0].variable.dataSync());
      }
    });
    await t.fit({ x: xs, y: ys }, { epochs: 4, batchSize: 32, callbacks: [mc] });
    expect((await store.list()).sort()).toEqual(['best.weights', 'epoch-0002.weights', 'epoch-0003.weights']);
    await loadWeightsCheckpoint(model, store, 'best.weights');
    expect(Array.from(model.weights[0].variable.dataSync())).toEqual(bestWeights);
    // A damaged file is refused, naming it.
    store.files.get('best.weights')![100] ^= 0xff;
    await expect(loadWeightsCheckpoint(model, store, 'best.weights')).rejects.toThrow(CheckpointError);
    await expect(loadWeightsCheckpoint(model, store, 'best.weights')).rejects.toThrow('Checkpoint ckpts/best.weights is corrupt or truncated: its SHA-256 checksum does not match its contents.');
    t.dispose();
    model.dispose();
  });
});

describe('custom callbacks', () => {
  it('see every event in order, can stop training, and leak nothing', async () => {
    const model = tinyMlp(4, 4, 4, 1);
    const t = new Trainer(model, { loss: scce, optimizer: new SGD({ learningRate: 0.1 }) });
    const seen: string[] = [];
    const custom: Callback = {
      onFitStart: () => void seen.push('fitStart'),
      onEpochStart: (e) => void seen.push(`epochStart ${e.epoch}`),
      onBatchEnd: async (e, ctx) => {
        await Promise.resolve();
        seen.push(`batchEnd ${e.step}`);
        if (e.step === 5) ctx.stop('custom stop');
      },
      onEpochEnd: (e) => void seen.push(`epochEnd ${e.epoch}`),
      onFitEnd: (e) => void seen.push(`fitEnd ${e.history.stopped?.reason}`),
    };
    const before = numTensors();
    await t.fit({ x: xs, y: ys }, { epochs: 5, batchSize: 64, callbacks: [custom] });
    t.dispose();
    expect(numTensors()).toBe(before);
    expect(seen).toEqual([
      'fitStart', 'epochStart 0', 'batchEnd 0', 'batchEnd 1', 'batchEnd 2', 'batchEnd 3', 'epochEnd 0',
      'epochStart 1', 'batchEnd 4', 'batchEnd 5', 'fitEnd custom stop',
    ]);
    model.dispose();
  });
});
