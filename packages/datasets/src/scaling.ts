import { ShapeError } from '@nutshell/tensor';
import { rowSize } from './dataset.js';
import { DatasetError } from './errors.js';

/** Features in a flat array with the shape of one row: what a scaler fits and transforms (a `Dataset` is one). @public */
export interface FeatureMatrix {
  readonly x: Float32Array;
  readonly featureShape: readonly number[];
}

/** A fitted scaler as plain JSON, to save beside a model and restore with `fromJSON`. @public */
export interface ScalerJSON {
  readonly kind: 'standardizer' | 'minMaxScaler';
  readonly a: number[];
  readonly b: number[];
}

/** Per-column statistics over the rows of `x`. */
function columns(data: FeatureMatrix, op: string): { width: number; rows: number } {
  const width = rowSize(data.featureShape);
  if (data.x.length === 0 || data.x.length % width !== 0) {
    throw new DatasetError(
      `${op}.fit: need at least one row of ${width} features, got ${data.x.length} values.`,
    );
  }
  for (let i = 0; i < data.x.length; i++) {
    const v = data.x[i];
    // v − v is 0 for every finite v and NaN for NaN and ±Infinity.
    if (v - v !== 0) {
      throw new DatasetError(
        `${op}.fit: x[${Math.floor(i / width)}] feature ${i % width} is ${v}; the statistics would be ${v}. Remove or impute the row first.`,
      );
    }
  }
  return { width, rows: data.x.length / width };
}

/**
 * A per-feature affine map `x' = (x − a) / b` fitted on training data. Fit it on the training set only and
 * apply the same map to validation and test data, so no information leaks from them into training.
 * @public
 */
export abstract class Scaler {
  protected a: Float32Array | null = null;
  protected b: Float32Array | null = null;
  protected abstract readonly kind: ScalerJSON['kind'];

  /** Learns the per-feature statistics from `data` (the training set). Returns `this`. */
  abstract fit(data: FeatureMatrix): this;

  /** Whether `fit` (or `fromJSON`) has run. */
  get fitted(): boolean {
    return this.a !== null;
  }

  /** Applies the fitted map; returns a copy of `data` with new features (the input is not changed). */
  transform<T extends FeatureMatrix>(data: T): T {
    const { a, b } = this.params('transform');
    const width = a.length;
    if (rowSize(data.featureShape) !== width) {
      throw new ShapeError(
        `${this.constructor.name}.transform`,
        [null, width],
        [data.x.length / rowSize(data.featureShape), rowSize(data.featureShape)],
        'fitted on a different number of features',
      );
    }
    const x = new Float32Array(data.x.length);
    for (let i = 0; i < x.length; i++) {
      const c = i % width;
      x[i] = (data.x[i] - a[c]) / b[c];
    }
    return { ...data, x };
  }

  /** `fit(data)` then `transform(data)`. */
  fitTransform<T extends FeatureMatrix>(data: T): T {
    return this.fit(data).transform(data);
  }

  /** The fitted parameters as JSON. */
  toJSON(): ScalerJSON {
    const { a, b } = this.params('toJSON');
    return { kind: this.kind, a: Array.from(a), b: Array.from(b) };
  }

  protected load(json: ScalerJSON): this {
    if (
      json?.kind !== this.kind ||
      !Array.isArray(json.a) ||
      !Array.isArray(json.b) ||
      json.a.length !== json.b.length
    ) {
      throw new DatasetError(`${this.constructor.name}.fromJSON: not a saved ${this.kind}.`);
    }
    this.a = Float32Array.from(json.a);
    this.b = Float32Array.from(json.b);
    return this;
  }

  private params(op: string): { a: Float32Array; b: Float32Array } {
    if (!this.a || !this.b)
      throw new DatasetError(`${this.constructor.name}.${op}: call fit() on the training set first.`);
    return { a: this.a, b: this.b };
  }
}

/**
 * Standardisation: each feature minus its training mean, divided by its training standard deviation, so that
 * on the training set every feature has mean 0 and standard deviation 1. A constant feature (standard deviation
 * 0) is only centred.
 *
 * @example
 * ```ts
 * const scaler = new Standardizer().fit(train);   // training set only
 * const trainS = scaler.transform(train), testS = scaler.transform(test);
 * ```
 * @public
 */
export class Standardizer extends Scaler {
  protected readonly kind = 'standardizer' as const;

  /** Per-feature training means (after `fit`). */
  get mean(): Float32Array | null {
    return this.a;
  }

  /** Per-feature training standard deviations, population formula (after `fit`; 1 where the feature was constant). */
  get std(): Float32Array | null {
    return this.b;
  }

  fit(data: FeatureMatrix): this {
    const { width, rows } = columns(data, 'Standardizer');
    const sum = new Float64Array(width);
    for (let i = 0; i < data.x.length; i++) sum[i % width] += data.x[i];
    const mean = sum.map((s) => s / rows);
    const sq = new Float64Array(width);
    for (let i = 0; i < data.x.length; i++) {
      const d = data.x[i] - mean[i % width];
      sq[i % width] += d * d;
    }
    this.a = Float32Array.from(mean);
    this.b = Float32Array.from(sq, (s) => Math.sqrt(s / rows) || 1);
    return this;
  }

  /** Restores a standardizer saved with `toJSON`. */
  static fromJSON(json: ScalerJSON): Standardizer {
    return new Standardizer().load(json);
  }
}

/**
 * Min-max scaling: each feature mapped linearly so its training minimum becomes 0 and its training maximum 1
 * (test values outside the training range fall outside [0, 1]). A constant feature becomes 0.
 * @public
 */
export class MinMaxScaler extends Scaler {
  protected readonly kind = 'minMaxScaler' as const;

  /** Per-feature training minima (after `fit`). */
  get min(): Float32Array | null {
    return this.a;
  }

  /** Per-feature training ranges, max − min (after `fit`; 1 where the feature was constant). */
  get range(): Float32Array | null {
    return this.b;
  }

  fit(data: FeatureMatrix): this {
    const { width } = columns(data, 'MinMaxScaler');
    const lo = new Float32Array(width).fill(Infinity);
    const hi = new Float32Array(width).fill(-Infinity);
    for (let i = 0; i < data.x.length; i++) {
      const c = i % width;
      const v = data.x[i];
      if (v < lo[c]) lo[c] = v;
      if (v > hi[c]) hi[c] = v;
    }
    this.a = lo;
    this.b = hi.map((h, c) => h - lo[c] || 1);
    return this;
  }

  /** Restores a scaler saved with `toJSON`. */
  static fromJSON(json: ScalerJSON): MinMaxScaler {
    return new MinMaxScaler().load(json);
  }
}
