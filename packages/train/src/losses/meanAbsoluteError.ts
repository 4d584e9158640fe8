import { tf } from '@nutshell/tensor';
import { defineLoss, meanPerSample, sameShape } from './loss.js';
import type { Loss } from './loss.js';

/**
 * Mean absolute error: the mean over a sample's outputs of |yPred − yTrue|. Less swayed by outliers than MSE.
 * @public
 */
export const meanAbsoluteError: Loss = defineLoss('meanAbsoluteError', (yTrue, yPred) => {
  sameShape('meanAbsoluteError', yTrue, yPred);
  return meanPerSample(tf.abs(tf.sub(yPred, yTrue)));
});
