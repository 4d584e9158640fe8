import type { Tensor } from '@tensorflow/tfjs-core';
import { DTypeError, ShapeError, type ShapeSpec } from './errors.js';

/**
 * Throws a `ShapeError` unless `t` has exactly the shape `expected` (`null` matches any size).
 * @public
 */
export function assertShape(t: { shape: readonly number[] }, expected: ShapeSpec, op: string): void {
  const ok = t.shape.length === expected.length && expected.every((d, i) => d == null || d === t.shape[i]);
  if (!ok) throw new ShapeError(op, expected, t.shape);
}

/**
 * Throws a `ShapeError` unless `t` has rank `rank` (or one of `rank` when it is a list).
 * @public
 */
export function assertRank(t: { shape: readonly number[] }, rank: number | readonly number[], op: string): void {
  const ranks = typeof rank === 'number' ? [rank] : rank;
  if (!ranks.includes(t.shape.length)) {
    throw new ShapeError(op, `rank ${ranks.join(' or ')}`, t.shape);
  }
}

/**
 * Throws a `ShapeError` unless `a` and `b` have the same shape.
 * @public
 */
export function assertSameShape(a: { shape: readonly number[] }, b: { shape: readonly number[] }, op: string): void {
  assertShape(b, a.shape, op);
}

/**
 * Throws a `DTypeError` unless `t` has one of the given dtypes.
 * @public
 */
export function assertDtype(t: Tensor, dtypes: readonly Tensor['dtype'][] | Tensor['dtype'], op: string): void {
  const list = typeof dtypes === 'string' ? [dtypes] : dtypes;
  if (!list.includes(t.dtype)) throw new DTypeError(op, list.join(' or '), t.dtype);
}

/**
 * The number of elements of a shape (1 for a scalar).
 * @public
 */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
