import { tf } from '@nutshell/tensor';
import { EPSILON, asFloat, defineLoss, meanPerSample, sameShape } from './loss.js';
import type { Loss } from './loss.js';
import { checkProbabilities, checkUnitTargets } from './lossInputs.js';

/**
 * Binary cross-entropy: −[y·log p + (1 − y)·log(1 − p)] for targets y in [0, 1], averaged over a sample's outputs.
 * With `fromLogits: true` the predictions are logits and the loss is computed in the stable form
 * max(x, 0) − x·y + log(1 + e^−|x|), which neither overflows nor loses precision; otherwise they are
 * probabilities, clipped to [1e-7, 1 − 1e-7] before the logs. Calling the loss checks that targets lie in [0, 1]
 * (`DataError`) and, without `fromLogits`, predictions too (`ConfigError`: the model outputs logits).
 * @public
 */
export function binaryCrossentropy(options: { fromLogits?: boolean } = {}): Loss {
  const fromLogits = options.fromLogits ?? false;
  return defineLoss('binaryCrossentropy', (yTrue, yPred) => {
    sameShape('binaryCrossentropy', yTrue, yPred);
    const y = asFloat(yTrue);
    if (fromLogits) {
      const x = yPred;
      const l = tf.add(tf.sub(tf.relu(x), tf.mul(x, y)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
      return meanPerSample(l);
    }
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    const l = tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))));
    return meanPerSample(l);
  }, fromLogits, (yTrue, yPred) => {
    checkUnitTargets('binaryCrossentropy', yTrue);
    if (!fromLogits) checkProbabilities('binaryCrossentropy', yPred);
  });
}
