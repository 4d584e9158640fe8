import { afterAll, describe, expect, it } from 'vitest';
import { numTensors, tf } from '@nutshell/tensor';
import { Trainer } from './Trainer.js';
import { SGD } from '../optimizers/sgd.js';
import { LearningRateScheduler } from '../callbacks/LearningRateScheduler.js';
import { ConfigError } from '../errors.js';
import { tinyMlp } from '../test-utils/fixtures.js';

const n = 96;
const xs = tf.randomUniform([n, 5], -1, 1, 'float32', 3);
const ys = tf.argMax(xs, 1);
afterAll(() => tf.dispose([xs, ys]));

describe('the Trainer stops wrong training before it starts', () => {
  it('a probability loss by name on a model that outputs logits is a ConfigError before any step, leak-free', async () => {
    const model = tinyMlp(5, 8, 5, 2); // outputs logits, as every Nutshell builder does
    const before0 = Array.from(model.weights[0].variable.dataSync());
    const t = new Trainer(model, { loss: 'sparseCategoricalCrossentropy', optimizer: new SGD() });
    let steps = 0;
    t.on('batchEnd', () => void steps++);
    const before = numTensors();
    const err = await t.fit({ x: xs, y: ys }, { epochs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).option).toBe('loss');
    expect((err as Error).message).toMatch(
      /^sparseCategoricalCrossentropy: expected probabilities in \[0, 1\] but the predictions range from -\d.*fromLogits: true/,
    );
    expect(steps).toBe(0);
    expect(Array.from(model.weights[0].variable.dataSync())).toEqual(before0);
    expect(numTensors()).toBe(before);
    t.dispose();
    model.dispose();
  });

  it('a schedule returning NaN stops the fit at that step with a ConfigError; no weight becomes NaN', async () => {
    const model = tinyMlp(5, 8, 5, 4);
    // Probabilities: the loss by name is right for this model.
    const probsModel = { ...model, apply: (x: tf.Tensor) => tf.tidy(() => tf.softmax(model.apply(x))) };
    const schedule = (step: number): number => (step < 3 ? 0.1 : step === 3 ? NaN : 0.1);
    const before = numTensors();
    const t = new Trainer(probsModel, {
      loss: 'sparseCategoricalCrossentropy',
      optimizer: new SGD({ learningRate: 0.1 }),
    });
    let steps = 0;
    t.on('batchEnd', () => void steps++);
    const err = await t
      .fit({ x: xs, y: ys }, { epochs: 2, batchSize: 16, callbacks: [new LearningRateScheduler(schedule)] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      'Learning-rate schedule returned NaN at step 3; a learning rate must be a finite number ≥ 0. Training stopped.',
    );
    expect(steps).toBe(3);
    for (const w of model.weights)
      expect(Array.from(w.variable.dataSync()).every(Number.isFinite)).toBe(true);
    const negative = await t
      .fit(
        { x: xs, y: ys },
        { epochs: 1, callbacks: [new LearningRateScheduler(() => -0.01, { per: 'epoch' })] },
      )
      .catch((e: unknown) => e);
    expect((negative as Error).message).toMatch(/returned -0\.01 at epoch 0/);
    t.dispose();
    expect(numTensors()).toBe(before);
    model.dispose();
  });
});
