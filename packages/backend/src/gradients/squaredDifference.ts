// The gradient of squaredDifference(a, b), corrected for broadcasting: tfjs-core 4.22 returns dy-shaped
// gradients for a and b without summing over the broadcast axes, so `squaredDifference(x, [4])` throws
// "The gradient of input 'b' has shape '2,3,4', which does not match the shape of the input '4'".
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';
import { unbroadcast } from './unbroadcast.js';

/** d/da (a − b)² = 2(a − b), d/db = −2(a − b), each summed to its input's shape. */
export const squaredDifferenceGradConfig: GradConfig = {
  kernelName: tf.SquaredDifference,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const twiceDiff = () => tf.mul(dy as Tensor, tf.mul(tf.scalar(2), tf.sub(a, b)));
    return {
      a: () => unbroadcast(twiceDiff(), a.shape),
      b: () => unbroadcast(tf.neg(twiceDiff()), b.shape),
    };
  },
};
