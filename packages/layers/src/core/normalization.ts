import { NutshellError } from '@nutshell/tensor';

/**
 * The variance epsilon of a normalization layer (default 1e−3), refused unless a finite number ≥ 0: with a
 * negative one a feature of small variance divides by the square root of a negative number (NaN). (0 is
 * allowed for exact checks; a constant feature then divides by zero.) @internal
 */
export function checkEpsilon(op: string, epsilon: number | undefined): number {
  const e = epsilon ?? 1e-3;
  if (typeof e !== 'number' || !Number.isFinite(e) || e < 0) {
    throw new NutshellError(`${op}: epsilon must be a finite number ≥ 0, got ${String(epsilon)}.`);
  }
  return e;
}
