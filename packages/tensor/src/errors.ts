import { NutshellError } from '@nutshell/backend';

/** A shape, with `null` for a dimension that may be anything (e.g. the batch). @public */
export type ShapeSpec = readonly (number | null)[];

/** Formats a shape the way error messages print it: `[2, 3]`, `[?, 784]`. @public */
export function formatShape(shape: ShapeSpec): string {
  return `[${shape.map((d) => (d == null ? '?' : String(d))).join(', ')}]`;
}

/**
 * A tensor had the wrong shape for an op or layer. The message names the op, the expected and the actual shape.
 * @public
 */
export class ShapeError extends NutshellError {
  /** The op or layer that rejected the shape. */
  readonly op: string;
  /** What was expected, as text (a shape, or a rule such as "rank 4"). */
  readonly expected: string;
  /** The shape that was given. */
  readonly actual: readonly number[];
  constructor(op: string, expected: ShapeSpec | string, actual: readonly number[], detail?: string) {
    const exp = typeof expected === 'string' ? expected : formatShape(expected);
    super(`${op}: expected shape ${exp}, got ${formatShape(actual)}${detail ? ` (${detail})` : ''}.`);
    this.op = op;
    this.expected = exp;
    this.actual = [...actual];
  }
}

/**
 * A tensor had the wrong dtype for an op or layer.
 * @public
 */
export class DTypeError extends NutshellError {
  constructor(op: string, expected: string, actual: string) {
    super(`${op}: expected dtype ${expected}, got ${actual}.`);
  }
}

/**
 * Tensors were left alive by code that should have disposed them. `leaked` is how many.
 * @public
 */
export class LeakError extends NutshellError {
  /** Tensors alive after minus before. */
  readonly leaked: number;
  constructor(label: string, leaked: number) {
    super(`${label}: ${leaked} tensor(s) leaked (numTensors grew by ${leaked}). Wrap work in scope() or dispose results.`);
    this.leaked = leaked;
  }
}

/**
 * A value an op cannot take: a string where a number belongs, NaN or a fraction in an int32 tensor, a seed
 * outside the integers. The message names the op, the value and (for arrays) its index.
 * @public
 */
export class ValueError extends NutshellError {
  /** The op that refused the value. */
  readonly op: string;
  /** The index of the value within the flattened input, when it came from an array. */
  readonly index: number | undefined;
  constructor(op: string, index: number | undefined, detail: string) {
    super(`${op}: ${detail}.`);
    this.op = op;
    this.index = index;
  }
}
