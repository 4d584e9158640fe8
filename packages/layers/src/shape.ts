import { ShapeError, formatShape } from '@nutshell/tensor';

/** A tensor shape with `null` for a dimension of any size (usually the batch). @public */
export type Shape = (number | null)[];

/** What `build` and `computeOutputShape` receive: one shape, or one per input for merge layers. @public */
export type LayerInputShape = Shape | Shape[];

/** True when `s` is a list of shapes rather than one shape. @internal */
export function isShapeList(s: LayerInputShape): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** The number of elements of a fully known shape (`null` dims count as unknown → null). @internal */
export function knownSize(shape: readonly (number | null)[]): number | null {
  let n = 1;
  for (const d of shape) {
    if (d == null) return null;
    n *= d;
  }
  return n;
}

/** A ShapeError whose actual shape may contain `null`. @internal */
export function shapeError(op: string, expected: Shape | string, actual: readonly (number | null)[], detail?: string): ShapeError {
  return new ShapeError(op, expected, actual as number[], detail);
}

/** `[?, 3]` style text. @internal */
export const fmt = (s: readonly (number | null)[]): string => formatShape(s);
