// StridedSlice's gradient, which tfjs 4.22 lacks ("gradient function not found for StridedSlice"): dy scattered
// back into zeros of x's shape at the elements the slice took. Built axis by axis from ops that every backend has
// and that are themselves differentiable: along an axis with step s, dy's n rows are spread s apart (a zero block
// padded after each row, then trimmed), reversed first when s is negative, then padded to x's length. Each axis is
// handled in a rank-3 or rank-4 view, so no op runs above rank 4.
import * as tf from '@tensorflow/tfjs-core';
import type { StridedSliceAttrs } from '@tensorflow/tfjs-core';
import { axisRanges } from '../stridedSlice.js';

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** `dy` (`[before, n, after]`) placed into `[before, dim, after]` at rows begin, begin + step, … (n of them). */
function scatterRows(dy: tf.Tensor3D, dim: number, begin: number, step: number): tf.Tensor3D {
  const [before, n, after] = dy.shape;
  if (n === 0) return tf.zeros([before, dim, after]);
  let rows = dy;
  let first = begin;
  if (step < 0) {
    rows = tf.reverse(rows, 1);
    first = begin + (n - 1) * step;
    step = -step;
  }
  if (step > 1) {
    const spread = tf.pad(tf.reshape(rows, [before, n, 1, after]), [
      [0, 0],
      [0, 0],
      [0, step - 1],
      [0, 0],
    ]);
    rows = tf.slice(
      tf.reshape(spread, [before, n * step, after]),
      [0, 0, 0],
      [before, (n - 1) * step + 1, after],
    ) as tf.Tensor3D;
  }
  return tf.pad(rows, [
    [0, 0],
    [first, dim - first - rows.shape[1]],
    [0, 0],
  ]);
}

/** @internal Registered by `registerNutshellGradients`. */
export const stridedSliceGradConfig: tf.GradConfig = {
  kernelName: tf.StridedSlice,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const r = axisRanges(x.shape, attrs as unknown as StridedSliceAttrs);
    return {
      x: () => {
        const shape = [...r.sizes];
        let g = tf.reshape(dy as tf.Tensor, shape);
        x.shape.forEach((dim, axis) => {
          if (r.strides[axis] === 1 && r.begin[axis] === 0 && r.sizes[axis] === dim) return;
          const view = tf.reshape(g, [
            product(shape.slice(0, axis)),
            shape[axis],
            product(shape.slice(axis + 1)),
          ]);
          shape[axis] = dim;
          g = tf.reshape(scatterRows(view as tf.Tensor3D, dim, r.begin[axis], r.strides[axis]), shape);
        });
        return g;
      },
    };
  },
};
