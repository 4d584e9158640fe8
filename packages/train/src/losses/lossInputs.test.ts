import { describe, expect, it } from 'vitest';
import { ShapeError, numTensors, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { binaryCrossentropy } from './binaryCrossentropy.js';
import { categoricalCrossentropy } from './categoricalCrossentropy.js';
import { sparseCategoricalCrossentropy } from './sparseCategoricalCrossentropy.js';
import { meanSquaredError } from './meanSquaredError.js';
import { huber } from './huber.js';
import { getLoss } from './getLoss.js';
import type { Loss, LossOptions } from './loss.js';
import { ConfigError, DataError } from '../errors.js';

const probs = [
  [0.7, 0.2, 0.1],
  [0.1, 0.8, 0.1],
];

interface BadCase {
  what: string;
  loss: () => Loss;
  yTrue: () => Tensor;
  yPred: () => Tensor;
  options?: LossOptions;
  error: new (...a: never[]) => Error;
  message: RegExp;
  row?: number;
}

// Each of these returned a number before (a lower, wrong loss; −0.49 for a binary label of 2; a NaN-free loss
// of logits treated as probabilities), or a raw TypeError.
const BAD: BadCase[] = [
  {
    what: 'sparse CE, label 3 of 3 classes',
    loss: () => sparseCategoricalCrossentropy(),
    yTrue: () => tf.tensor1d([0, 3], 'int32'),
    yPred: () => tf.tensor2d(probs),
    error: DataError,
    message: /^sparseCategoricalCrossentropy: label 3 at row 1 is not a class index in \[0, 3\)/,
    row: 1,
  },
  {
    what: 'sparse CE, label −1',
    loss: () => sparseCategoricalCrossentropy({ fromLogits: true }),
    yTrue: () => tf.tensor1d([-1, 0], 'int32'),
    yPred: () => tf.tensor2d(probs),
    error: DataError,
    message: /label -1 at row 0 .*\[0, 3\)/,
    row: 0,
  },
  {
    what: 'sparse CE, fractional label 2.7',
    loss: () => sparseCategoricalCrossentropy(),
    yTrue: () => tf.tensor1d([0, 2.7]),
    yPred: () => tf.tensor2d(probs),
    error: DataError,
    message: /label 2\.7\d* at row 1/,
    row: 1,
  },
  {
    what: 'sparse CE, NaN label',
    loss: () => sparseCategoricalCrossentropy(),
    yTrue: () => tf.tensor2d([[NaN], [1]]),
    yPred: () => tf.tensor2d(probs),
    error: DataError,
    message: /label NaN at row 0/,
    row: 0,
  },
  {
    what: 'binary CE, label 2',
    loss: () => binaryCrossentropy(),
    yTrue: () => tf.tensor2d([[1], [2]]),
    yPred: () => tf.tensor2d([[0.8], [0.3]]),
    error: DataError,
    message: /^binaryCrossentropy: target 2 at row 1 is outside \[0, 1\]/,
    row: 1,
  },
  {
    what: 'binary CE from logits, label −1',
    loss: () => binaryCrossentropy({ fromLogits: true }),
    yTrue: () => tf.tensor2d([[-1], [0]]),
    yPred: () => tf.tensor2d([[2], [-3]]),
    error: DataError,
    message: /target -1 at row 0/,
    row: 0,
  },
  {
    what: 'categorical CE, target 1.5',
    loss: () => categoricalCrossentropy(),
    yTrue: () =>
      tf.tensor2d([
        [0, 0, 1],
        [1.5, 0, 0],
      ]),
    yPred: () => tf.tensor2d(probs),
    error: DataError,
    message: /target 1\.5 at row 1/,
    row: 1,
  },
  {
    what: 'sparse CE by name given logits',
    loss: () => getLoss('sparseCategoricalCrossentropy'),
    yTrue: () => tf.tensor1d([0, 1], 'int32'),
    yPred: () =>
      tf.tensor2d([
        [2.5, -1, 0.3],
        [0.1, 0.4, 0.2],
      ]),
    error: ConfigError,
    message:
      /^sparseCategoricalCrossentropy: expected probabilities in \[0, 1\] but the predictions range from -1 to 2\.5.*fromLogits: true/,
  },
  {
    what: 'binary CE by name given logits',
    loss: () => getLoss('binaryCrossentropy'),
    yTrue: () => tf.tensor2d([[1], [0]]),
    yPred: () => tf.tensor2d([[3], [0.5]]),
    error: ConfigError,
    message: /binaryCrossentropy: expected probabilities .* to 3\b/,
  },
  {
    what: 'categorical CE given logits',
    loss: () => categoricalCrossentropy(),
    yTrue: () =>
      tf.tensor2d([
        [0, 0, 1],
        [1, 0, 0],
      ]),
    yPred: () =>
      tf.tensor2d([
        [-2, 0.5, 0.5],
        [0.2, 0.2, 0.6],
      ]),
    error: ConfigError,
    message: /categoricalCrossentropy: expected probabilities/,
  },
  {
    what: 'unknown reduction',
    loss: () => meanSquaredError,
    yTrue: () => tf.ones([2, 1]),
    yPred: () => tf.ones([2, 1]),
    options: { reduction: 'avg' as never },
    error: ConfigError,
    message: /^meanSquaredError: unknown reduction 'avg'; expected 'mean', 'sum' or 'none'\.$/,
  },
  {
    what: 'sparse CE, one label for two rows',
    loss: () => sparseCategoricalCrossentropy(),
    yTrue: () => tf.tensor1d([0], 'int32'),
    yPred: () => tf.tensor2d(probs),
    error: ShapeError,
    message: /^sparseCategoricalCrossentropy: expected shape \[2\], got \[1\]/,
  },
];

describe('losses refuse invalid inputs with typed errors and leak nothing', () => {
  it.each(BAD)('$what', ({ loss, yTrue, yPred, options, error, message, row }) => {
    const t = yTrue();
    const p = yPred();
    const l = loss();
    const before = numTensors();
    let caught: unknown;
    try {
      l(t, p, options)?.dispose();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(error);
    expect((caught as Error).message).toMatch(message);
    if (row !== undefined) expect((caught as DataError).row).toBe(row);
    expect(numTensors()).toBe(before);
    tf.dispose([t, p]);
  });

  it('valid edge inputs still pass: last class, soft binary targets, probabilities 0 and 1', () => {
    const before = numTensors();
    const y = tf.tensor1d([2, 0], 'int32');
    const p = tf.tensor2d([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const v = sparseCategoricalCrossentropy()(y, p);
    expect(v.dataSync()[0]).toBeCloseTo(-Math.log(1 - 1e-7), 6);
    const soft = tf.tensor2d([[0.25]]);
    const half = tf.tensor2d([[0.5]]);
    const b = binaryCrossentropy()(soft, half);
    expect(b.dataSync()[0]).toBeCloseTo(Math.log(2), 6);
    tf.dispose([y, p, v, soft, half, b]);
    expect(numTensors()).toBe(before);
  });

  it.each([[0], [-1], [NaN], [Infinity], ['1' as unknown as number]])(
    'huber refuses delta %s with a ConfigError',
    (delta) => {
      let caught: unknown;
      try {
        huber({ delta });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).option).toBe('delta');
      expect((caught as Error).message).toBe(
        `huber: delta must be a finite number > 0, got ${String(delta)}.`,
      );
    },
  );
});
