import { tf } from '@nutshell/tensor';
import { asFloat, defineLoss, meanPerSample, sameShape } from './loss.js';
import type { Loss } from './loss.js';

/**
 * Hinge loss, the margin loss of support vector machines: max(0, 1 − y·ŷ) averaged over a sample's outputs.
 * Targets are −1 or 1; targets given as 0 or 1 are mapped to −1 or 1 (as Keras does).
 * @public
 */
export const hinge: Loss = defineLoss('hinge', (yTrue, yPred) => {
  sameShape('hinge', yTrue, yPred);
  const y = asFloat(yTrue);
  // Only exact zeros are remapped, so both label conventions work.
  const signed = tf.where(tf.equal(y, 0), tf.fill(y.shape, -1), y);
  return meanPerSample(tf.relu(tf.sub(1, tf.mul(signed, yPred))));
});
