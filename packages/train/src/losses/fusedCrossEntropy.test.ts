// The softmax cross-entropies and accuracy metrics run fused kernels where the backend has them (cpu here): the
// same numbers as their tensor ops (the kernels unregistered), for every reduction, sample weights, soft targets
// and class indices, and a Trainer's fit with them gives the op-by-op history.
import { afterAll, describe, expect, it } from 'vitest';
import { ShapeError, numTensors, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { CATEGORICAL_ACCURACY, SOFTMAX_CROSS_ENTROPY } from '@nutshell/backend';
import { categoricalCrossentropy } from './categoricalCrossentropy.js';
import { sparseCategoricalCrossentropy } from './sparseCategoricalCrossentropy.js';
import type { Loss, LossOptions } from './loss.js';
import { categoricalAccuracy, sparseCategoricalAccuracy } from '../metrics/accuracy.js';
import { Trainer } from '../trainer/Trainer.js';
import { SGD } from '../optimizers/sgd.js';
import { loadDigits, tinyMlp } from '../test-utils/fixtures.js';

const FUSED = [SOFTMAX_CROSS_ENTROPY, CATEGORICAL_ACCURACY];
const configs = FUSED.map((k) => tf.getKernel(k, 'cpu')!);

/** Runs `f` with the fused kernels unregistered on cpu (the tensor-op path). */
function unfused<T>(f: () => T): T {
  FUSED.forEach((k) => tf.unregisterKernel(k, 'cpu'));
  try {
    return f();
  } finally {
    configs.forEach((c) => tf.registerKernel(c));
  }
}
afterAll(() => expect(FUSED.every((k) => tf.getKernel(k, 'cpu'))).toBe(true));

/** Loss and gradient with respect to the logits, and the kernels the forward pass ran. */
function lossAndGrad(loss: Loss, yTrue: Tensor, logits: Tensor, options: LossOptions) {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((z: Tensor) => loss.reduced!(yTrue, z, options))(logits);
    return { value: Array.from(value.dataSync()), grad: Array.from(grad.dataSync()) };
  });
}

function expectNear(a: number[], b: number[], tol: number): void {
  expect(a).toHaveLength(b.length);
  a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]))));
}

describe('fused softmax cross-entropy in the losses', () => {
  const logits = tf.randomNormal([16, 5], 0, 3, 'float32', 4);
  const labels = tf.tensor1d(
    Array.from({ length: 16 }, (_, i) => (i * 3) % 5),
    'int32',
  );
  const oneHot = tf.oneHot(labels, 5, 1, 0, 'float32');
  const soft = tf.softmax(tf.randomNormal([16, 5], 0, 1, 'float32', 5));
  const weights = tf.randomUniform([16], 0, 2, 'float32', 6);
  const options: LossOptions[] = [
    {},
    { reduction: 'sum' },
    { reduction: 'none' },
    { sampleWeight: weights },
    { reduction: 'none', sampleWeight: weights },
  ];
  const cases: [string, Loss, Tensor][] = [
    ['categorical, one-hot', categoricalCrossentropy({ fromLogits: true }), oneHot],
    ['categorical, soft targets', categoricalCrossentropy({ fromLogits: true }), soft],
    ['sparse, int32 [n]', sparseCategoricalCrossentropy({ fromLogits: true }), labels],
    [
      'sparse, float32 [n, 1]',
      sparseCategoricalCrossentropy({ fromLogits: true }),
      tf.reshape(tf.cast(labels, 'float32'), [16, 1]),
    ],
  ];

  it.each(cases)(
    '%s: every reduction, with and without sample weights, equals the tensor ops',
    (_, loss, yTrue) => {
      for (const o of options) {
        const fused = lossAndGrad(loss, yTrue, logits, o);
        const ops = unfused(() => lossAndGrad(loss, yTrue, logits, o));
        expectNear(fused.value, ops.value, 2e-6);
        expectNear(fused.grad, ops.grad, 1e-6);
      }
    },
  );

  it('the fused kernels are what runs (2 kernels for loss and gradient instead of ~25), and no tensor leaks', async () => {
    const loss = categoricalCrossentropy({ fromLogits: true });
    const kernels = async () =>
      (await tf.profile(() => lossAndGrad(loss, oneHot, logits, {}))).kernels.map((k) => k.name);
    const before = numTensors();
    const fused = await kernels();
    const ops = await unfusedAsync(kernels);
    expect(fused.filter((k) => k !== 'Identity')).toEqual([
      SOFTMAX_CROSS_ENTROPY,
      'NutshellSoftmaxCrossEntropyGrad',
    ]);
    expect(ops.length).toBeGreaterThan(20);
    expect(numTensors()).toBe(before);
  });

  it('shape errors are unchanged (ShapeError naming the loss), leaving no tensor', () => {
    const before = numTensors();
    expect(() => categoricalCrossentropy({ fromLogits: true }).reduced!(tf.zeros([16, 4]), logits)).toThrow(
      ShapeError,
    );
    expect(() =>
      sparseCategoricalCrossentropy({ fromLogits: true }).reduced!(tf.zeros([15], 'int32'), logits),
    ).toThrow(/sparseCategoricalCrossentropy/);
    expect(numTensors()).toBe(before + 2); // the two zeros made above, not disposed by the throwing call
  });

  it('accuracy metrics equal ArgMax/Equal/Cast', () => {
    const read = (t: Tensor) => Array.from(t.dataSync());
    expect(read(categoricalAccuracy(soft, logits))).toEqual(
      unfused(() => read(categoricalAccuracy(soft, logits))),
    );
    expect(read(sparseCategoricalAccuracy(labels, logits))).toEqual(
      unfused(() => read(sparseCategoricalAccuracy(labels, logits))),
    );
  });
});

async function unfusedAsync<T>(f: () => Promise<T>): Promise<T> {
  FUSED.forEach((k) => tf.unregisterKernel(k, 'cpu'));
  try {
    return await f();
  } finally {
    configs.forEach((c) => tf.registerKernel(c));
  }
}

describe('a Trainer with the fused loss and accuracy', () => {
  const digits = loadDigits();
  const n = 512;
  const x = tf.tensor2d(digits.x.subarray(0, n * 64), [n, 64]);
  const y = tf.tensor1d(digits.y.subarray(0, n), 'int32');

  const run = async (classWeights?: number[]) => {
    const model = tinyMlp(64, 16, 10, 3);
    const before = numTensors();
    const trainer = new Trainer(model, {
      loss: sparseCategoricalCrossentropy({ fromLogits: true }),
      optimizer: new SGD({ learningRate: 0.1 }),
      metrics: ['accuracy'],
      seed: 1,
    });
    const history = await trainer.fit(
      { x, y },
      { epochs: 2, batchSize: 64, ...(classWeights ? { classWeights } : {}) },
    );
    const test = await trainer.evaluate({ x, y });
    trainer.dispose();
    expect(numTensors()).toBe(before); // everything fit and evaluate made is gone
    model.dispose();
    return { history, test };
  };

  it('trains to the same history as the tensor ops (with and without class weights), leak-free', async () => {
    for (const cw of [undefined, [1, 2, 1, 1, 0.5, 1, 1, 1, 3, 1]]) {
      const fused = await run(cw);
      const ops = await unfusedAsync(() => run(cw));
      expectNear(fused.history.logs.loss, ops.history.logs.loss, 1e-5);
      expectNear(fused.history.logs.accuracy, ops.history.logs.accuracy, 1e-6);
      expectNear([fused.test.loss, fused.test.accuracy], [ops.test.loss, ops.test.accuracy], 1e-5);
      expect(fused.history.logs.loss[1]).toBeLessThan(fused.history.logs.loss[0]);
    }
  });
});
