// The gradient of gather with batchDims = 1. tfjs-core 4.22's calls `x.split`, `indices.slice`, `dy.slice`
// and `stacked.reshape`, chained methods that only the @tensorflow/tfjs union package installs, so with
// tfjs-core alone it throws "x.split is not a function". batchDims = 0 (the usual gather) is tfjs's own.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';

/** d/dx of gather(x, indices, axis) for one batch entry: the rows of dy summed into the rows they came from. */
function gatherGrad(x: Tensor, indices: Tensor, dy: Tensor, axis: number): Tensor {
  const outer = x.shape.slice(0, axis);
  const inner = x.shape.slice(axis + 1);
  const values = tf.reshape(dy, [...outer, indices.size, ...inner]);
  const perm = [outer.length, ...outer.map((_, i) => i), ...inner.map((_, i) => outer.length + 1 + i)];
  const summed = tf.unsortedSegmentSum(tf.transpose(values, perm), tf.reshape(indices, [indices.size]) as tf.Tensor1D, x.shape[axis]);
  return tf.transpose(summed, tf.backend_util.getUndoAxesPermutation(perm));
}

/** Wraps tfjs's gather gradient: batchDims = 1 is computed here with function ops. */
export function gatherGradConfig(original: GradConfig): GradConfig {
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const { axis, batchDims } = attrs as unknown as { axis: number; batchDims?: number };
      if (batchDims !== 1) return original.gradFunc(dy, saved, attrs);
      const [x, indices] = saved;
      const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0];
      const g = dy as Tensor;
      return {
        x: () => {
          const n = x.shape[0];
          const rows = tf.split(x, n, 0).map((xi, i) =>
            gatherGrad(xi, tf.slice(indices, i, 1), tf.slice(g, i, 1), parsedAxis),
          );
          return tf.reshape(tf.stack(rows), x.shape);
        },
        indices: () => indices,
      };
    },
  };
}
