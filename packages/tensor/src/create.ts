import { tf } from '@nutshell/backend';
import type { DataType, Tensor } from '@tensorflow/tfjs-core';
import { ShapeError } from './errors.js';
import { sizeOf } from './shape.js';

/** Values a tensor can be made from: a flat typed array or a flat or nested number array. @public */
export type TensorValues = Float32Array | Int32Array | Uint8Array | number[] | number[][] | number[][][] | number[][][][];

function flatLength(values: TensorValues): number {
  if (!Array.isArray(values)) return values.length;
  let n = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else n++;
  };
  walk(values);
  return n;
}

/**
 * Makes a tensor from values and an optional shape. Unlike tfjs, a mismatch between the number of values and
 * the shape is a `ShapeError` naming both.
 * @public
 */
export function tensor(values: TensorValues, shape?: readonly number[], dtype: DataType = 'float32'): Tensor {
  if (shape) {
    const n = flatLength(values);
    if (n !== sizeOf(shape)) {
      throw new ShapeError('tensor', shape, [n], `${n} values cannot fill ${sizeOf(shape)} elements`);
    }
    return tf.tensor(values as Float32Array, [...shape], dtype);
  }
  return tf.tensor(values as Float32Array, undefined, dtype);
}

/** A tensor of zeros. @public */
export function zeros(shape: readonly number[], dtype: DataType = 'float32'): Tensor {
  return tf.zeros([...shape], dtype);
}

/** A tensor of ones. @public */
export function ones(shape: readonly number[], dtype: DataType = 'float32'): Tensor {
  return tf.ones([...shape], dtype);
}

/** A tensor filled with one value. @public */
export function full(shape: readonly number[], value: number, dtype: DataType = 'float32'): Tensor {
  return tf.fill([...shape], value, dtype);
}

/** A scalar. @public */
export function scalar(value: number, dtype: DataType = 'float32'): Tensor {
  return tf.scalar(value, dtype);
}

/**
 * `n` values from `start` to `stop` inclusive, evenly spaced (1-D).
 * @public
 */
export function linspace(start: number, stop: number, n: number): Tensor {
  return tf.linspace(start, stop, n);
}

/**
 * One-hot rows from integer labels: `labels` of length N become an N × depth float tensor.
 * A label outside [0, depth) is an error naming it, not a row of zeros.
 * @public
 */
export function oneHot(labels: ArrayLike<number>, depth: number): Tensor {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < 0 || v >= depth) {
      throw new ShapeError('oneHot', `labels in [0, ${depth})`, [labels.length], `label ${v} at index ${i}`);
    }
  }
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), depth), 'float32'));
}
