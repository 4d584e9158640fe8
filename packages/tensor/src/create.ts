import { tf } from '@nutshell/backend';
import type { DataType, Tensor } from '@tensorflow/tfjs-core';
import { ShapeError, ValueError } from './errors.js';
import { checkDims, checkDtype, checkValues, nestedShape } from './values.js';
import { sizeOf } from './shape.js';

/** Values a tensor can be made from: a flat typed array or a flat or nested number array. @public */
export type TensorValues = Float32Array | Int32Array | Uint8Array | number[] | number[][] | number[][][] | number[][][][];

/**
 * Makes a tensor from values and an optional shape. Unlike tfjs, bad input is a typed error, never a silent
 * conversion: values that do not fill the shape or ragged nested arrays are a `ShapeError`; a string, or NaN or a
 * fraction in an int32 tensor, is a `ValueError` naming the index; negative or fractional dimensions a
 * `ShapeError`; a dtype tfjs does not store (float64) a `DTypeError`.
 * @public
 */
export function tensor(values: TensorValues, shape?: readonly number[], dtype: DataType = 'float32'): Tensor {
  checkDtype('tensor', dtype);
  if (shape) checkDims('tensor', shape);
  let flat: ArrayLike<unknown>;
  let inferred: number[];
  if (Array.isArray(values)) {
    inferred = nestedShape('tensor', values);
    flat = inferred.length > 1 ? (values as unknown[]).flat(inferred.length - 1) : (values as unknown[]);
  } else if (ArrayBuffer.isView(values)) {
    inferred = [values.length];
    flat = values;
  } else {
    throw new ValueError('tensor', undefined, `values must be a number array or a typed array, got ${typeof values}`);
  }
  if (!(values instanceof Int32Array || values instanceof Uint8Array)) checkValues('tensor', flat, dtype);
  if (shape) {
    const n = flat.length;
    if (n !== sizeOf(shape)) {
      throw new ShapeError('tensor', shape, [n], `${n} values cannot fill ${sizeOf(shape)} elements`);
    }
    return tf.tensor(values as Float32Array, [...shape], dtype);
  }
  return tf.tensor(values as Float32Array, undefined, dtype);
}

/** A tensor of zeros. @public */
export function zeros(shape: readonly number[], dtype: DataType = 'float32'): Tensor {
  checkDims('zeros', shape);
  checkDtype('zeros', dtype);
  return tf.zeros([...shape], dtype);
}

/** A tensor of ones. @public */
export function ones(shape: readonly number[], dtype: DataType = 'float32'): Tensor {
  checkDims('ones', shape);
  checkDtype('ones', dtype);
  return tf.ones([...shape], dtype);
}

/** A tensor filled with one value. @public */
export function full(shape: readonly number[], value: number, dtype: DataType = 'float32'): Tensor {
  checkDims('full', shape);
  checkDtype('full', dtype);
  checkValues('full', [value], dtype);
  return tf.fill([...shape], value, dtype);
}

/** A scalar. @public */
export function scalar(value: number, dtype: DataType = 'float32'): Tensor {
  checkDtype('scalar', dtype);
  checkValues('scalar', [value], dtype);
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
