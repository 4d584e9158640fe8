// The gradient of prod(x, axes). tfjs-core 4.22's calls `tensor.reshape(...)`, a chained method that only
// the @tensorflow/tfjs union package installs, so with tfjs-core alone it throws
// "permutedX.reshape is not a function". Same algorithm, written with function ops.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';

/**
 * d/dx_i Π x = Π_{j≠i} x_j, computed as (exclusive cumulative product from the left) × (from the right)
 * along one axis, which stays exact when some x_j are zero.
 */
function prodGradOneAxis(x: Tensor, dy: Tensor, axis: number): Tensor {
  const keptShape = x.shape.slice();
  keptShape[axis] = 1;
  const left = tf.cumprod(x, axis, true, false);
  const right = tf.cumprod(x, axis, true, true);
  return tf.mul(tf.reshape(dy, keptShape), tf.mul(left, right));
}

/** Moves the reduced axes to the end, folds them into one, and unfolds the result back. */
function prodGrad(x: Tensor, dy: Tensor, axes: number[]): Tensor {
  const rank = x.rank;
  const perm = tf.backend_util.getAxesPermutation(axes, rank);
  const permuted = perm != null ? tf.transpose(x, perm) : x;
  const folded = permuted.shape.slice(0, rank - axes.length);
  folded.push(permuted.shape.slice(rank - axes.length).reduce((a, b) => a * b, 1));
  const grad = tf.reshape(prodGradOneAxis(tf.reshape(permuted, folded), dy, rank - axes.length), permuted.shape);
  return perm != null ? tf.transpose(grad, tf.backend_util.getUndoAxesPermutation(perm)) : grad;
}

/** The corrected gradient of the Prod kernel. */
export const prodGradConfig: GradConfig = {
  kernelName: tf.Prod,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const axis = (attrs as unknown as { axis?: number | number[] | null }).axis;
    const axes = axis == null ? x.shape.map((_, i) => i) : tf.util.parseAxisParam(axis, x.shape);
    return { x: () => prodGrad(x, dy as Tensor, axes) };
  },
};
