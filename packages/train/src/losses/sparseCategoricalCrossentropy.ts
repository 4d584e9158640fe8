import { ShapeError, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { runSoftmaxCrossEntropy } from '@nutshell/backend';
import { defineLoss, reduceLoss } from './loss.js';
import type { Loss, Reduction } from './loss.js';
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
  const name = 'sparseCategoricalCrossentropy';
  // One fused kernel (forward and gradient) for logits where the backend has it; the tensor ops otherwise.
  const loss = (yTrue: Tensor, yPred: Tensor, reduction: Reduction): Tensor => {
    if (yPred.rank !== 2) throw new ShapeError(name, '[batch, classes]', yPred.shape);
    const n = yPred.shape[0];
    if (yTrue.size !== n || (yTrue.rank === 2 && yTrue.shape[1] !== 1) || yTrue.rank > 2) {
      throw new ShapeError(name, [n], yTrue.shape, 'one class index per sample');
    }
    if (fromLogits) {
      const fused = runSoftmaxCrossEntropy(
        yPred,
        yTrue.rank === 1 ? yTrue : tf.reshape(yTrue, [n]),
        reduction,
      );
      if (fused) return fused;
    }
    const labels = tf.reshape(yTrue.dtype === 'int32' ? yTrue : tf.cast(yTrue, 'int32'), [n]);
    const mask = tf.oneHot(labels, yPred.shape[1] as number, 1, 0, 'float32');
    const l = tf.neg(tf.sum(tf.mul(mask, logProbabilities(yPred, fromLogits)), -1));
    return reduction === 'none' ? l : reduceLoss(name, l, { reduction });
  };
  return defineLoss(
    name,
    (yTrue, yPred) => loss(yTrue, yPred, 'none'),
    fromLogits,
    (yTrue, yPred) => {
      checkClassIndices(name, yTrue, yPred.shape[1] as number);
      if (!fromLogits) checkProbabilities(name, yPred);
    },
    loss,
  );
}
