import { DatasetError } from './errors.js';

/**
 * A labelled classification data set held in flat typed arrays: row `i`'s features are
 * `x.subarray(i * rowSize, (i + 1) * rowSize)` with `rowSize` the product of `featureShape`, its label is `y[i]`.
 * One made by {@link createDataset} (or {@link subset} of one) is known to be valid, and the Trainer does not scan
 * it again: do not modify its arrays after it is made (copy them, and make a new data set from the copies).
 * @public
 */
export interface Dataset {
  /** Features, `n × product(featureShape)` values, row-major. */
  readonly x: Float32Array;
  /** Class labels, integers in `[0, numClasses)`. */
  readonly y: Int32Array | Uint8Array;
  /** Number of rows (samples). */
  readonly n: number;
  /** The shape of one sample's features, e.g. `[28, 28, 1]` for an MNIST image or `[30]` for a table row. */
  readonly featureShape: readonly number[];
  /** Number of classes; every label is below it. */
  readonly numClasses: number;
  /** Names of the classes, index = label. */
  readonly classNames?: readonly string[];
  /** Names of the features of a table, index = column. */
  readonly featureNames?: readonly string[];
}

/** What {@link createDataset} takes: a data set's arrays, with `n` and `numClasses` optional. @public */
export interface DatasetInit {
  readonly x: Float32Array;
  readonly y: Int32Array | Uint8Array;
  readonly featureShape: readonly number[];
  /** Defaults to 1 + the largest label, or `classNames.length` when given. */
  readonly numClasses?: number;
  readonly classNames?: readonly string[];
  readonly featureNames?: readonly string[];
}

/** The number of feature values in one row: the product of `featureShape`. @public */
export function rowSize(featureShape: readonly number[]): number {
  let size = 1;
  for (const d of featureShape) size *= d;
  return size;
}

/**
 * The data sets whose arrays were checked here, with the arrays checked: features all finite, labels integers in
 * `[0, numClasses)`. Kept by object, weakly, so that a check is remembered for exactly the object it was made for
 * (a hand-made `{ x, y, n, numClasses, ... }` literal is not in it) and forgotten with it.
 */
const checked = new WeakMap<Dataset, { x: Float32Array; y: Int32Array | Uint8Array; numClasses: number }>();

/** Remembers that `data`'s arrays were checked; returns it. */
function markChecked(data: Dataset): Dataset {
  checked.set(data, { x: data.x, y: data.y, numClasses: data.numClasses });
  return data;
}

/**
 * Whether `data` was made by {@link createDataset} (or {@link subset} of such a set) and still holds the arrays
 * checked then: its features are then finite and its labels integers in `[0, numClasses)`, unless the arrays were
 * modified since, which the documentation of {@link Dataset} rules out (values written into them are not seen).
 * @internal
 */
export function isChecked(data: Dataset): boolean {
  const c = checked.get(data);
  return c !== undefined && c.x === data.x && c.y === data.y && c.numClasses === data.numClasses;
}

/**
 * Checks a data set's arrays and returns it as a {@link Dataset}. Throws a {@link DatasetError} when features and
 * labels have different lengths, when a feature is NaN or infinite (naming the row and the feature), or when a
 * label is not an integer in `[0, numClasses)` (naming the row). `source` names the data in messages.
 * The result is remembered as checked, so that training does not scan it again: do not modify its arrays.
 * @public
 */
export function createDataset(init: DatasetInit, source = 'dataset'): Dataset {
  const { x, y, featureShape, classNames, featureNames } = init;
  if (!(x instanceof Float32Array)) throw new DatasetError(`${source}: features must be a Float32Array.`);
  if (!(y instanceof Int32Array || y instanceof Uint8Array)) {
    throw new DatasetError(`${source}: labels must be an Int32Array or a Uint8Array.`);
  }
  if (featureShape.length === 0 || featureShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new DatasetError(
      `${source}: featureShape must be positive integers, got [${featureShape.join(', ')}].`,
    );
  }
  const size = rowSize(featureShape);
  const n = y.length;
  if (x.length !== n * size) {
    const rows = x.length / size;
    throw new DatasetError(
      `${source}: features and labels have different lengths: ${y.length} labels but ` +
        (Number.isInteger(rows)
          ? `${rows} rows`
          : `${x.length} feature values (not a whole number of rows)`) +
        ` of ${size} features.`,
    );
  }
  if (featureNames && featureNames.length !== size) {
    throw new DatasetError(`${source}: ${featureNames.length} feature names for ${size} features.`);
  }
  let maxLabel = -1;
  let maxRow = -1;
  for (let i = 0; i < n; i++) {
    if (y[i] > maxLabel) {
      maxLabel = y[i];
      maxRow = i;
    }
  }
  if (init.numClasses === undefined && !classNames && maxLabel >= MAX_INFERRED_CLASSES) {
    // One stray label (1,000,000,000) would otherwise make a billion classes and a one-hot batch of gigabytes.
    throw new DatasetError(
      `${source}: label ${maxLabel} at row ${maxRow} would make ${maxLabel + 1} classes; classes inferred from ` +
        `the labels are limited to ${MAX_INFERRED_CLASSES}. Relabel the classes 0…k−1, or give numClasses or classNames.`,
    );
  }
  const numClasses = init.numClasses ?? classNames?.length ?? maxLabel + 1;
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new DatasetError(`${source}: numClasses must be a positive integer, got ${numClasses}.`);
  }
  if (classNames && classNames.length !== numClasses) {
    throw new DatasetError(`${source}: ${classNames.length} class names for ${numClasses} classes.`);
  }
  assertLabels(y, numClasses, source);
  assertFinite(x, size, source, featureNames);
  return markChecked({ x, y, n, featureShape: [...featureShape], numClasses, classNames, featureNames });
}

/**
 * The most classes `createDataset` infers from the labels (the largest label + 1) when neither `numClasses` nor
 * `classNames` is given. ImageNet-21k has about 21,000.
 * @public
 */
export const MAX_INFERRED_CLASSES = 100_000;

/**
 * Throws a {@link DatasetError} naming the first row whose label is not an integer in `[0, numClasses)`.
 * @public
 */
export function assertLabels(y: ArrayLike<number>, numClasses: number, source = 'labels'): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new DatasetError(
        `${source}: label ${v} at row ${i} is out of range; expected an integer in [0, ${numClasses}).`,
      );
    }
  }
}

/**
 * Throws a {@link DatasetError} naming the first row (and feature) holding NaN or ±Infinity.
 * @public
 */
export function assertFinite(
  x: Float32Array,
  rowLength: number,
  source = 'features',
  featureNames?: readonly string[],
): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      const row = Math.floor(i / rowLength);
      const col = i % rowLength;
      const name = featureNames ? `'${featureNames[col]}'` : `${col}`;
      throw new DatasetError(
        `${source}: ${x[i]} in row ${row}, feature ${name}; data must be finite numbers.`,
      );
    }
  }
}

/**
 * The rows of `data` at `indices`, in that order, as a new data set (a copy of those rows only). The copy of a
 * checked data set (see {@link createDataset}) is checked too.
 * @public
 */
export function subset(data: Dataset, indices: ArrayLike<number>): Dataset {
  const size = rowSize(data.featureShape);
  const x = new Float32Array(indices.length * size);
  const y = new (data.y instanceof Uint8Array ? Uint8Array : Int32Array)(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= data.n) {
      throw new DatasetError(`subset: index ${i} at position ${k} is outside [0, ${data.n}).`);
    }
    x.set(data.x.subarray(i * size, (i + 1) * size), k * size);
    y[k] = data.y[i];
  }
  const out = { ...data, x, y, n: indices.length };
  return isChecked(data) ? markChecked(out) : out;
}
