import { ShapeError, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { runCategoricalAccuracy } from '@nutshell/backend';

/**
 * Binary accuracy per sample: the fraction of a sample's outputs whose prediction falls on the same side of
 * `threshold` as its 0/1 target (threshold 0.5 for probabilities, 0 for logits). Returns `[batch]`.
 * @public
 */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  return tf.tidy(() => {
    if (yTrue.size !== yPred.size) throw new ShapeError('binaryAccuracy', yPred.shape, yTrue.shape);
    const predicted = tf.cast(tf.greater(yPred, threshold), 'float32');
    const truth = tf.cast(tf.greater(tf.reshape(yTrue, yPred.shape), 0.5), 'float32');
    const hit = tf.cast(tf.equal(predicted, truth), 'float32');
    return hit.rank <= 1 ? hit : tf.mean(tf.reshape(hit, [hit.shape[0], -1]), 1);
  });
}

/**
 * Categorical accuracy per sample: 1 where the arg-max of the prediction is the arg-max of the one-hot target.
 * Returns `[batch]`.
 * @public
 */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return tf.tidy(() => {
    if (yTrue.rank !== yPred.rank || yTrue.size !== yPred.size)
      throw new ShapeError('categoricalAccuracy', yPred.shape, yTrue.shape);
    // One fused kernel where the backend has it (a training step computes this every batch).
    return (
      runCategoricalAccuracy(yTrue, yPred) ??
      tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32')
    );
  });
}

/**
 * Sparse categorical accuracy per sample: 1 where the arg-max of the prediction `[batch, classes]` is the class
 * index in `yTrue` (`[batch]` or `[batch, 1]`). Returns `[batch]`.
 * @public
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return tf.tidy(() => {
    const n = yPred.shape[0];
    if (yPred.rank !== 2 || yTrue.size !== n)
      throw new ShapeError('sparseCategoricalAccuracy', [n], yTrue.shape, 'one class index per sample');
    const fused = runCategoricalAccuracy(yTrue.rank === 1 ? yTrue : tf.reshape(yTrue, [n]), yPred);
    if (fused) return fused;
    return tf.cast(tf.equal(tf.reshape(tf.cast(yTrue, 'int32'), [n]), tf.argMax(yPred, -1)), 'float32');
  });
}

/**
 * Top-k accuracy per sample: 1 where the true class (an index, or the arg-max of a one-hot row) is among the k
 * highest predictions. Returns `[batch]`.
 * @public
 */
export function topKAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  return tf.tidy(() => {
    if (yPred.rank !== 2) throw new ShapeError('topKAccuracy', '[batch, classes]', yPred.shape);
    const n = yPred.shape[0];
    const classes = yPred.shape[1] as number;
    const labels = yTrue.size === n ? tf.reshape(tf.cast(yTrue, 'int32'), [n]) : tf.argMax(yTrue, -1);
    // The true class's score, compared with the k-th largest score (ties count as hits, as in Keras).
    const trueScore = tf.sum(tf.mul(yPred, tf.oneHot(labels, classes, 1, 0, 'float32')), -1);
    const kth = tf.min(tf.topk(yPred, Math.min(k, classes)).values, -1);
    return tf.cast(tf.greaterEqual(trueScore, kth), 'float32');
  });
}
