import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numTensors, tf, useBackend } from '@nutshell/tensor';
import { Dense, Sequential, loadModel, saveModel } from '@nutshell/layers';
import { binaryCrossentropy } from '../losses/binaryCrossentropy.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { EarlyStopping } from '../callbacks/EarlyStopping.js';
import { ModelCheckpoint } from '../callbacks/ModelCheckpoint.js';
import { LearningRateScheduler } from '../callbacks/LearningRateScheduler.js';
import { ProgressLogger } from '../callbacks/ProgressLogger.js';
import type { ProgressUpdate } from '../callbacks/ProgressLogger.js';
import { cosineDecay } from '../schedules/schedule.js';
import { DataError } from '../errors.js';
import { loadDigits } from '../test-utils/fixtures.js';
import { compile } from './compile.js';

beforeAll(async () => {
  await useBackend('cpu'); // bit-for-bit reproducible; the automatic choice is tested in autoBackend.test.ts
});

// The 8×8 digits as plain nested arrays, the way a user coming from Keras holds them.
const digits = loadDigits();
const rows = (from: number, to: number): number[][] =>
  Array.from({ length: to - from }, (_, i) =>
    Array.from(digits.x.subarray((from + i) * 64, (from + i + 1) * 64)),
  );
const labels = (from: number, to: number): number[] => Array.from(digits.y.subarray(from, to));
const xTrain = rows(0, 1400);
const yTrain = labels(0, 1400);
const xTest = rows(1400, digits.n);
const yTest = labels(1400, digits.n);

const mlp = (seed: number) =>
  new Sequential(
    [new Dense({ units: 32, activation: 'relu', seed }), new Dense({ units: 10, seed: seed + 1 })],
    { inputShape: [64] },
  );

describe('compile(model).fit(x, y): the short path', () => {
  it('trains the 8×8 digits from plain arrays to ≥ 93% test accuracy, with progress lines, and leaks nothing', async () => {
    const model = mlp(1);
    const before = numTensors();
    const lines: string[] = [];
    const net = compile(model, {
      loss: sparseCategoricalCrossentropy({ fromLogits: true }),
      optimizer: 'adam',
      learningRate: 0.01,
      metrics: ['accuracy'],
      log: (l) => lines.push(l),
    });
    const history = await net.fit(xTrain, yTrain, { epochs: 8, batchSize: 32, validationSplit: 0.1 });
    expect(history.epochs).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(history.logs.val_accuracy).toHaveLength(8);
    // Not a terminal here: one summary line per epoch (35 batches/epoch → also about ten batch lines each).
    const summaries = lines.filter((l) => / done in /.test(l));
    expect(summaries).toHaveLength(8);
    expect(summaries[7]).toMatch(
      /^epoch 8\/8 done in .*: loss [\d.]+, accuracy [\d.]+, val_loss [\d.]+, val_accuracy [\d.]+$/,
    );
    expect(lines.some((l) => /^epoch 1\/8 {2}batch \d+\/40 {2}loss [\d.]+ {2}accuracy [\d.]+ /.test(l))).toBe(
      true,
    );

    const classes = await net.predictClasses(xTest);
    let right = 0;
    classes.forEach((c, i) => (right += c === yTest[i] ? 1 : 0));
    expect(right / yTest.length).toBeGreaterThanOrEqual(0.93);
    const evaluated = await net.evaluate(xTest, yTest);
    expect(evaluated.accuracy).toBeCloseTo(right / yTest.length, 5);

    const proba = await net.predictProba(xTest);
    expect(proba.shape).toEqual([yTest.length, 10]);
    const p = (await proba.array()) as number[][];
    proba.dispose();
    for (let i = 0; i < p.length; i++) {
      expect(p[i].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p[i].indexOf(Math.max(...p[i]))).toBe(classes[i]);
    }
    net.dispose();
    expect(numTensors()).toBe(before);
    model.dispose();
  }, 30_000);

  it('verbose: 0 prints nothing; onProgress still receives every batch and epoch as data', async () => {
    const model = mlp(3);
    const lines: string[] = [];
    const updates: ProgressUpdate[] = [];
    const net = compile(model, {
      loss: sparseCategoricalCrossentropy({ fromLogits: true }),
      optimizer: 'adam',
      log: (l) => lines.push(l),
    });
    await net.fit(xTrain.slice(0, 256), yTrain.slice(0, 256), {
      epochs: 2,
      batchSize: 64,
      verbose: 0,
      onProgress: (u) => updates.push(u),
    });
    expect(lines).toEqual([]);
    expect(updates.map((u) => `${u.epoch}:${u.batchesDone}/${u.steps}${u.epochDone ? '!' : ''}`)).toEqual([
      '0:1/4',
      '0:2/4',
      '0:3/4',
      '0:4/4',
      '0:4/4!',
      '1:1/4',
      '1:2/4',
      '1:3/4',
      '1:4/4',
      '1:4/4!',
    ]);
    // The running mean after the last batch of an epoch is the epoch's mean loss.
    expect(updates[3].logs.loss).toBeCloseTo(updates[4].logs.loss, 5);
    net.dispose();
    model.dispose();
  });

  it('verbose: 2 prints one line per epoch; a ProgressLogger in callbacks replaces the default one', async () => {
    const model = mlp(5);
    const lines: string[] = [];
    const mine: string[] = [];
    const net = compile(model, {
      loss: sparseCategoricalCrossentropy({ fromLogits: true }),
      optimizer: 'adam',
      log: (l) => lines.push(l),
    });
    await net.fit(xTrain, yTrain, { epochs: 2, verbose: 2 });
    expect(lines).toHaveLength(2);
    await net.fit(xTrain.slice(0, 64), yTrain.slice(0, 64), {
      epochs: 1,
      callbacks: [new ProgressLogger({ mode: 'epochs', log: (l) => mine.push(l) })],
    });
    expect(lines).toHaveLength(2);
    expect(mine).toHaveLength(1);
    net.dispose();
    model.dispose();
  });

  it('learns XOR with a binary loss from flat 0/1 targets; probabilities are [1 − p, p]', async () => {
    const model = new Sequential(
      [new Dense({ units: 8, activation: 'tanh', seed: 7 }), new Dense({ units: 1, seed: 8 })],
      { inputShape: [2] },
    );
    const net = compile(model, {
      loss: binaryCrossentropy({ fromLogits: true }),
      optimizer: 'adam',
      learningRate: 0.05,
      metrics: ['accuracy'],
    });
    const x = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ];
    const history = await net.fit(x, [0, 1, 1, 0], { epochs: 300, batchSize: 4, verbose: 0 });
    expect(history.logs.accuracy.at(-1)).toBe(1);
    expect(Array.from(await net.predictClasses(x))).toEqual([0, 1, 1, 0]);
    const proba = await net.predictProba(x);
    const p = (await proba.array()) as number[][];
    proba.dispose();
    expect(p.map((r) => r.length)).toEqual([2, 2, 2, 2]);
    for (const r of p) expect(r[0] + r[1]).toBeCloseTo(1, 6);
    expect(p[1][1]).toBeGreaterThan(0.9);
    expect(p[0][0]).toBeGreaterThan(0.9);
    net.dispose();
    model.dispose();
  }, 30_000);

  it('refuses features and targets of different lengths with a DataError and leaks nothing', async () => {
    const model = mlp(9);
    const net = compile(model, {
      loss: sparseCategoricalCrossentropy({ fromLogits: true }),
      optimizer: 'sgd',
    });
    const before = numTensors();
    await expect(net.fit(xTrain.slice(0, 10), yTrain.slice(0, 9), { verbose: 0 })).rejects.toThrow(DataError);
    await expect(net.fit(xTrain.slice(0, 10), yTrain.slice(0, 9), { verbose: 0 })).rejects.toThrow(
      'fit: x has 10 samples but y has 9; features and labels must have the same length.',
    );
    await expect(net.fit([['a'], ['b']] as unknown as number[][], [0, 1], { verbose: 0 })).rejects.toThrow(
      'fit: x holds strings; encode them as numbers first (e.g. class indices).',
    );
    expect(numTensors()).toBe(before);
    net.dispose();
    model.dispose();
  });
});

describe('the Keras task in 11 lines: an MLP with validation, early stopping, checkpoints, a schedule, save and reload', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nutshell-compile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs, stops early or finishes, keeps the best weights, and reloads to the same predictions', async () => {
    // --- the user's code (x, y: plain arrays) ---
    const model = new Sequential([new Dense({ units: 64, activation: 'relu' }), new Dense({ units: 10 })], {
      inputShape: [64],
    });
    const net = compile(model, {
      loss: sparseCategoricalCrossentropy({ fromLogits: true }),
      optimizer: 'adam',
      metrics: ['accuracy'],
      log: () => {},
    });
    const history = await net.fit(xTrain, yTrain, {
      epochs: 30,
      validationSplit: 0.2,
      callbacks: [
        new EarlyStopping({ patience: 2, restoreBestWeights: true }),
        new ModelCheckpoint({ to: join(dir, 'checkpoints') }),
        new LearningRateScheduler(cosineDecay({ initial: 0.01, decaySteps: 30 * 35 })),
      ],
    });
    await saveModel(model, join(dir, 'model'));
    const reloaded = await loadModel(join(dir, 'model'));
    // --- end of the user's code ---

    const best = Math.min(...history.logs.val_loss);
    expect(best).toBeLessThan(0.25);
    expect(history.logs.val_accuracy[history.logs.val_loss.indexOf(best)]).toBeGreaterThan(0.93);
    const a = await net.predict(xTest);
    const xt = tf.tensor2d(xTest);
    const b = reloaded.predict(xt);
    xt.dispose();
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([a, b]);
    net.dispose();
    model.dispose();
    reloaded.dispose();
  }, 30_000);
});
