import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/** Sums `t` down to `shape` (the shape an input had before broadcasting), then reshapes to it. */
export function unbroadcast(t: Tensor, shape: number[]): Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, t.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, shape);
}
