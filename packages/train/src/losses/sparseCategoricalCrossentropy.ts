import { ShapeError, tf } from '@nutshell/tensor';
import { defineLoss } from './loss.js';
import type { Loss } from './loss.js';
import { logProbabilities } from './categoricalCrossentropy.js';
import { checkClassIndices, checkProbabilities } from './lossInputs.js';

/**
 * Sparse categorical cross-entropy: −log p_y, where the targets are class indices (shape `[batch]` or
 * `[batch, 1]`) and the predictions `[batch, classes]` are probabilities or, with `fromLogits: true`, logits
 * (stable log-softmax). The same value as categorical cross-entropy on one-hot targets, without making them.
 * Labels must be integers in [0, classes) and, without `fromLogits`, predictions in [0, 1]: calling the loss
 * checks both (a `DataError` naming the row; a `ConfigError` for logits), the Trainer before training.
 * @public
 */
export function sparseCategoricalCrossentropy(options: { fromLogits?: boolean } = {}): Loss {
  const fromLogits = options.fromLogits ?? false;
  return defineLoss('sparseCategoricalCrossentropy', (yTrue, yPred) => {
    if (yPred.rank !== 2) throw new ShapeError('sparseCategoricalCrossentropy', '[batch, classes]', yPred.shape);
    const n = yPred.shape[0];
    if (yTrue.size !== n || (yTrue.rank === 2 && yTrue.shape[1] !== 1) || yTrue.rank > 2) {
      throw new ShapeError('sparseCategoricalCrossentropy', [n], yTrue.shape, 'one class index per sample');
    }
    const labels = tf.reshape(yTrue.dtype === 'int32' ? yTrue : tf.cast(yTrue, 'int32'), [n]);
    const mask = tf.oneHot(labels, yPred.shape[1] as number, 1, 0, 'float32');
    return tf.neg(tf.sum(tf.mul(mask, logProbabilities(yPred, fromLogits)), -1));
  }, fromLogits, (yTrue, yPred) => {
    checkClassIndices('sparseCategoricalCrossentropy', yTrue, yPred.shape[1] as number);
    if (!fromLogits) checkProbabilities('sparseCategoricalCrossentropy', yPred);
  });
}
