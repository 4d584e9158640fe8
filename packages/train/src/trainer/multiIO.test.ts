import { beforeAll, describe, expect, it } from 'vitest';
import { numTensors, tf, useBackend } from '@nutshell/tensor';
import { Concatenate, Dense, Model, input } from '@nutshell/layers';
import { binaryCrossentropy } from '../losses/binaryCrossentropy.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { ConfigError } from '../errors.js';
import { loadDigits } from '../test-utils/fixtures.js';
import { compile } from './compile.js';

beforeAll(async () => {
  await useBackend('cpu');
});

// The 8×8 digits cut in two: the top half and the bottom half are two inputs; two outputs, the digit (10 logits)
// and whether it is ≥ 5 (one logit).
const digits = loadDigits();
const N = 1400;
const all = tf.tensor2d(digits.x.subarray(0, N * 64), [N, 64]);
const top = tf.slice(all, [0, 0], [N, 32]);
const bottom = tf.slice(all, [0, 32], [N, 32]);
const digit = tf.tensor1d(digits.y.subarray(0, N), 'int32');
const big = tf.tensor2d(
  Float32Array.from(digits.y.subarray(0, N), (d) => (d >= 5 ? 1 : 0)),
  [N, 1],
);

function twoHeaded(seed: number): Model {
  const a = input([32], { name: 'top' });
  const b = input([32], { name: 'bottom' });
  const h = new Dense({ units: 48, activation: 'relu', seed }).apply(new Concatenate().apply([a, b]));
  const d = new Dense({ units: 10, seed: seed + 1, name: 'digit' }).apply(h);
  const g = new Dense({ units: 1, seed: seed + 2, name: 'big' }).apply(h);
  return new Model({ inputs: [a, b], outputs: [d, g] });
}

describe('compile(graphModel) with several inputs and outputs', () => {
  it('trains two outputs, each with its loss, weight and metrics, from two named inputs', async () => {
    const model = twoHeaded(1);
    const before = numTensors();
    const net = compile(model, {
      loss: {
        digit: sparseCategoricalCrossentropy({ fromLogits: true }),
        big: binaryCrossentropy({ fromLogits: true }),
      },
      lossWeights: { big: 0.5 },
      metrics: { digit: ['accuracy'], big: ['accuracy'] },
      optimizer: 'adam',
      learningRate: 0.01,
      log: () => {},
    });
    const history = await net.fit(
      { top, bottom },
      { digit, big },
      { epochs: 6, batchSize: 32, validationSplit: 0.15 },
    );
    expect(Object.keys(history.logs).sort()).toEqual(
      ['big_accuracy', 'big_loss', 'digit_accuracy', 'digit_loss', 'loss']
        .flatMap((k) => [k, `val_${k}`])
        .concat('lr')
        .sort(),
    );
    expect(history.logs.val_digit_accuracy.at(-1)).toBeGreaterThan(0.9);
    expect(history.logs.val_big_accuracy.at(-1)).toBeGreaterThan(0.9);
    // The loss minimised is the weighted sum of the outputs' losses.
    const e = await net.evaluate({ top, bottom }, { digit, big });
    expect(e.loss).toBeCloseTo(e.digit_loss + 0.5 * e.big_loss, 5);
    const outs = await net.predictAll({ top, bottom });
    expect(outs.digit.shape).toEqual([N, 10]);
    expect(outs.big.shape).toEqual([N, 1]);
    // The same numbers as the model's own forward pass.
    const [d, g] = model.applyAll([top, bottom]);
    expect(Array.from(await outs.big.data())).toEqual(Array.from(await g.data()));
    tf.dispose([d, g, outs.digit, outs.big]);
    net.dispose();
    expect(numTensors()).toBe(before);
    model.dispose();
  }, 60_000);

  it('mismatched input and output names are a ConfigError listing the model’s names; nothing leaks', async () => {
    const model = twoHeaded(5);
    const scce = sparseCategoricalCrossentropy({ fromLogits: true });
    const bce = binaryCrossentropy({ fromLogits: true });
    expect(() => compile(model, { loss: { digit: scce, bigg: bce }, optimizer: 'sgd' })).toThrow(
      new ConfigError('loss', "compile: unknown output name(s) 'bigg'. The model's outputs are: digit, big."),
    );
    expect(() => compile(model, { loss: { digit: scce }, optimizer: 'sgd' })).toThrow(
      "compile: loss has no entry for output 'big' (outputs: digit, big).",
    );
    expect(() =>
      compile(model, { loss: { digit: scce, big: bce }, lossWeights: { bog: 1 }, optimizer: 'sgd' }),
    ).toThrow("unknown output name(s) 'bog'");
    const net = compile(model, { loss: { digit: scce, big: bce }, optimizer: 'sgd', log: () => {} });
    const short = tf.slice(top, 0, 10);
    const before = numTensors();
    await expect(net.fit({ top, botom: bottom }, { digit, big }, { verbose: 0 })).rejects.toThrow(
      new ConfigError(
        'inputs',
        "fit: unknown input name(s) 'botom'; no value for 'bottom'. The model's inputs are: top, bottom.",
      ),
    );
    await expect(net.fit({ top, bottom }, { digit }, { verbose: 0 })).rejects.toThrow(
      "fit: no value for 'big'. The model's outputs are: digit, big.",
    );
    await expect(net.fit({ top, bottom: short }, { digit, big }, { verbose: 0 })).rejects.toThrow(
      "fit: input 'bottom' has 10 samples but 'top' has 1400.",
    );
    await expect(net.predict({ top, bottom })).rejects.toThrow(
      'predict: the model has 2 outputs (digit, big); use predictAll(x)',
    );
    expect(numTensors()).toBe(before);
    short.dispose();
    net.dispose();
    model.dispose();
  });
});
