import { tf, ShapeError, type Tensor } from '@nutshell/tensor';

/**
 * Maxout (Goodfellow et al. 2013): a unit that takes the maximum of `pieces` linear functions of its input, so
 * it learns its own convex, piecewise-linear activation (ReLU is the maxout of x and 0). This function does the
 * "max" half: the last axis of `x`, of size units × pieces, holds each unit's `pieces` linear responses side by
 * side (unit 0's pieces first), and the result has `units` on that axis. The `Maxout` layer in
 * `@nutshell/layers` adds the linear half.
 *
 * Gradient: flows to the winning piece; on an exact tie every tied piece receives it (tfjs's rule for `max`).
 * @public
 */
export function maxout(x: Tensor, pieces: number): Tensor {
  const last = x.shape[x.shape.length - 1];
  if (!Number.isInteger(pieces) || pieces < 1 || x.shape.length === 0 || last % pieces !== 0) {
    throw new ShapeError('maxout', `last axis a multiple of pieces = ${pieces}`, x.shape);
  }
  return tf.tidy(() => tf.max(tf.reshape(x, [...x.shape.slice(0, -1), last / pieces, pieces]), -1));
}
