/**
 * @file Checks on what tensors are made from (values, shapes, dtypes), so tfjs never silently turns NaN into 0
 * in an int32 tensor or a string into NaN, and its own errors (ragged arrays, bad dims, unknown dtypes) become
 * typed Nutshell errors naming the op.
 */
import type { DataType } from '@tensorflow/tfjs-core';
import { DTypeError, ShapeError, ValueError } from './errors.js';

const DTYPES: readonly string[] = ['float32', 'int32', 'bool', 'complex64'];

/** Throws a `DTypeError` unless `dtype` is one tfjs stores (float64 is not). @internal */
export function checkDtype(op: string, dtype: unknown): asserts dtype is DataType {
  if (typeof dtype !== 'string' || !DTYPES.includes(dtype))
    throw new DTypeError(op, DTYPES.join(', '), String(dtype));
}

/** Throws a `ShapeError` unless every dimension is an integer ≥ 0. @internal */
export function checkDims(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) throw new ShapeError(op, 'an array of dimensions', [], `got ${String(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        op,
        'dimensions that are integers ≥ 0',
        shape.map((x) => (typeof x === 'number' ? x : NaN)),
        `dimension ${i} is ${String(d)}`,
      );
    }
  }
}

/**
 * The shape of nested arrays, refusing ragged ones (rows of different lengths) with a `ShapeError` naming the
 * first row that differs. @internal
 */
export function nestedShape(op: string, values: unknown): number[] {
  const shape: number[] = [];
  let v = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  const walk = (x: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (Array.isArray(x))
        throw new ShapeError(op, shape, [], `ragged values: ${path} is an array where a number belongs`);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      const len = Array.isArray(x) ? x.length : 'not an array';
      throw new ShapeError(
        op,
        shape,
        [],
        `ragged values: ${path} has length ${len}, its siblings ${shape[depth]}`,
      );
    }
    x.forEach((y, i) => walk(y, depth + 1, `${path}[${i}]`));
  };
  walk(values, 0, 'values');
  return shape;
}

/**
 * Throws a `ValueError` naming the index for a value that is not a number (a string becomes NaN in tfjs), or,
 * for int32, not an integer (tfjs stores NaN as 0 and truncates 2.7 to 2). @internal
 */
export function checkValues(op: string, values: ArrayLike<unknown>, dtype: DataType): void {
  const isInt = dtype === 'int32';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') {
      if (typeof v === 'boolean' && dtype === 'bool') continue;
      throw new ValueError(
        op,
        i,
        `value ${JSON.stringify(v) ?? String(v)} (${typeof v}) at index ${i} is not a number`,
      );
    }
    if (isInt && !Number.isInteger(v)) {
      throw new ValueError(
        op,
        i,
        `value ${v} at index ${i} cannot be stored as int32 (not an integer); round or cast explicitly (tf.cast truncates)`,
      );
    }
  }
}
