import { ShapeError, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { runSoftmaxCrossEntropy } from '@nutshell/backend';
import { EPSILON, asFloat, defineLoss, reduceLoss, sameShape } from './loss.js';
import type { Loss, Reduction } from './loss.js';
import { checkProbabilities, checkUnitTargets } from './lossInputs.js';

/** log of class probabilities along the last axis, from logits (stable log-softmax) or from probabilities. */
export function logProbabilities(yPred: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return tf.logSoftmax(yPred);
  // Renormalise (as Keras does) so rows that do not quite sum to 1 still give a cross-entropy.
  const p = tf.div(yPred, tf.sum(yPred, -1, true));
  return tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON));
}

/**
 * Categorical cross-entropy: −Σ_k y_k·log p_k for one-hot (or soft) targets `[batch, classes]`.
 * With `fromLogits: true` the predictions are logits and log p comes from a log-softmax
 * (x − max − log Σ e^(x − max)), stable for any logits; otherwise they are probabilities, clipped to
 * [1e-7, 1 − 1e-7]. Calling the loss checks that targets lie in [0, 1] (`DataError`) and, without `fromLogits`,
 * predictions too (`ConfigError`: the model outputs logits).
 * @public
 */
export function categoricalCrossentropy(options: { fromLogits?: boolean } = {}): Loss {
  const fromLogits = options.fromLogits ?? false;
  const name = 'categoricalCrossentropy';
  // One fused kernel (forward and gradient) for logits where the backend has it; the tensor ops otherwise.
  const loss = (yTrue: Tensor, yPred: Tensor, reduction: Reduction): Tensor => {
    sameShape(name, yTrue, yPred);
    if (yPred.rank < 2) throw new ShapeError(name, '[batch, classes]', yPred.shape);
    const t = asFloat(yTrue);
    const fused = fromLogits ? runSoftmaxCrossEntropy(yPred, t, reduction) : undefined;
    if (fused) return fused;
    const l = tf.neg(tf.sum(tf.mul(t, logProbabilities(yPred, fromLogits)), -1));
    return reduction === 'none' ? l : reduceLoss(name, l, { reduction });
  };
  return defineLoss(
    name,
    (yTrue, yPred) => loss(yTrue, yPred, 'none'),
    fromLogits,
    (yTrue, yPred) => {
      checkUnitTargets(name, yTrue);
      if (!fromLogits) checkProbabilities(name, yPred);
    },
    loss,
  );
}
