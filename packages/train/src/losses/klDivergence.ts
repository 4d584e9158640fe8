import { tf } from '@nutshell/tensor';
import { EPSILON, asFloat, defineLoss, sameShape, sumPerSample } from './loss.js';
import type { Loss } from './loss.js';

/**
 * Kullback–Leibler divergence KL(yTrue ‖ yPred) = Σ y·log(y / ŷ) between two distributions over the last axis,
 * both clipped to [1e-7, 1] (so zero-probability targets contribute nothing).
 * @public
 */
export const klDivergence: Loss = defineLoss('klDivergence', (yTrue, yPred) => {
  sameShape('klDivergence', yTrue, yPred);
  const t = tf.clipByValue(asFloat(yTrue), EPSILON, 1);
  const p = tf.clipByValue(yPred, EPSILON, 1);
  return sumPerSample(tf.mul(t, tf.log(tf.div(t, p))));
});
