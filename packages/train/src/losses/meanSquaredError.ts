import { tf } from '@nutshell/tensor';
import { defineLoss, meanPerSample, sameShape } from './loss.js';
import type { Loss } from './loss.js';

/**
 * Mean squared error: the mean over a sample's outputs of (yPred − yTrue)². The regression loss.
 * @public
 */
export const meanSquaredError: Loss = defineLoss('meanSquaredError', (yTrue, yPred) => {
  sameShape('meanSquaredError', yTrue, yPred);
  return meanPerSample(tf.squaredDifference(yPred, yTrue));
});
