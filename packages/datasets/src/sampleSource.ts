import { ShapeError, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { rowSize } from './dataset.js';
import { DatasetError } from './errors.js';

/** One sample as a generator returns it: its features and its target (a class index, or target values). @public */
export interface Sample {
  /** The features, `rowSize(sampleShape)` values in row-major order. */
  readonly x: ArrayLike<number>;
  /** A class index (classification) or one or more target values (regression). */
  readonly y: number | ArrayLike<number>;
}

/**
 * How a {@link SampleSource} makes target tensors: `'sparse'` int32 class indices `[batch]`, `'oneHot'` float32
 * `[batch, numClasses]`, `'binary'` float32 `[batch, 1]` of 0/1, `'values'` float32 `[batch, targetSize]`
 * (regression).
 * @public
 */
export type SampleTarget = 'sparse' | 'oneHot' | 'binary' | 'values';

/** Options of a {@link SampleSource}. @public */
export interface SampleSourceOptions {
  /** Number of samples. */
  readonly size: number;
  /** Shape of one sample's features, e.g. `[28, 28, 1]`. */
  readonly sampleShape: readonly number[];
  /** Returns sample `index` (from 0 to size − 1), synchronously or as a promise: read a file, decode, compute. */
  readonly sample: (index: number) => Sample | Promise<Sample>;
  /** Target encoding (default `'sparse'`). */
  readonly target?: SampleTarget;
  /** Classes, for `'oneHot'` and for checking class indices (required for `'oneHot'`). */
  readonly numClasses?: number;
  /** Target values per sample for `'values'` (default 1). */
  readonly targetSize?: number;
  /** How many samples are loaded at once within a batch (default 16): bounds open files and memory. */
  readonly concurrency?: number;
}

/**
 * A data source whose samples are made on demand, one call per sample, so the data never has to fit in memory: a
 * generator over indices (files on disk, rows of a database, samples computed on the fly). `gather(indices)` is
 * asynchronous: it loads the batch's samples (`concurrency` at a time), checks each one's length and target, and
 * returns the batch as tensors. The Trainer of `@nutshell/train` awaits it and loads the next batch while the
 * current one trains (prefetch). Bad samples are a `DatasetError` naming the index and what was wrong.
 * @example
 * ```ts
 * const squares = new SampleSource({ size: 1000, sampleShape: [1], target: 'values', sample: (i) => ({ x: [i / 1000], y: (i / 1000) ** 2 }) });
 * const { x, y } = await squares.gather([0, 1, 2]); // x [3, 1], y [3, 1]
 * ```
 * @public
 */
export class SampleSource {
  /** Number of samples. */
  readonly size: number;
  /** Shape of one sample's features. */
  readonly sampleShape: readonly number[];
  /** Target encoding. */
  readonly target: SampleTarget;
  /** Classes (for the class encodings), when known. */
  readonly numClasses: number | undefined;
  private readonly width: number;
  private readonly targetSize: number;
  private readonly concurrency: number;
  private readonly sample: (index: number) => Sample | Promise<Sample>;

  /** Makes one with the given settings (see {@link SampleSourceOptions}). */
  constructor(options: SampleSourceOptions) {
    const { size, sampleShape, sample } = options;
    if (!Number.isInteger(size) || size < 0)
      throw new DatasetError(`SampleSource: size must be an integer ≥ 0, got ${size}.`);
    if (typeof sample !== 'function')
      throw new DatasetError('SampleSource: sample must be a function (index) => { x, y }.');
    this.size = size;
    this.sampleShape = [...sampleShape];
    this.width = rowSize(sampleShape);
    this.target = options.target ?? 'sparse';
    if (!['sparse', 'oneHot', 'binary', 'values'].includes(this.target)) {
      throw new DatasetError(
        `SampleSource: target must be 'sparse', 'oneHot', 'binary' or 'values', got '${this.target}'.`,
      );
    }
    this.numClasses = this.target === 'binary' ? 2 : options.numClasses;
    if (this.target === 'oneHot' && !(Number.isInteger(this.numClasses) && this.numClasses! > 0)) {
      throw new DatasetError("SampleSource: target 'oneHot' needs numClasses.");
    }
    this.targetSize = this.target === 'values' ? (options.targetSize ?? 1) : 1;
    this.concurrency = Math.max(1, options.concurrency ?? 16);
    this.sample = sample;
  }

  /** The samples at `indices` as a batch `{ x, y }`; the caller disposes both tensors. */
  async gather(indices: ArrayLike<number>): Promise<{ x: Tensor; y: Tensor }> {
    const b = indices.length;
    const xs = new Float32Array(b * this.width);
    const ys = new Float32Array(b * this.targetSize);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let k = next++; k < b; k = next++) {
        const i = indices[k];
        if (!Number.isInteger(i) || i < 0 || i >= this.size)
          throw new DatasetError(
            `SampleSource.gather: index ${i} at position ${k} is outside [0, ${this.size}).`,
          );
        const s = await this.sample(i);
        this.put(s, i, k, xs, ys);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, b) }, worker));
    return this.tensors(xs, ys, b);
  }

  /** Checks sample `i` and copies it into row `k` of the batch buffers. */
  private put(s: Sample, i: number, k: number, xs: Float32Array, ys: Float32Array): void {
    if (!s || s.x === undefined || s.x.length !== this.width) {
      throw new ShapeError(
        `SampleSource: sample ${i}`,
        [this.width],
        [s?.x?.length ?? 0],
        `features of shape [${this.sampleShape.join(', ')}]`,
      );
    }
    xs.set(s.x, k * this.width);
    const y = typeof s.y === 'number' ? [s.y] : s.y;
    if (!y || y.length !== this.targetSize)
      throw new DatasetError(
        `SampleSource: sample ${i} has ${y?.length ?? 0} target value(s), expected ${this.targetSize}.`,
      );
    for (let t = 0; t < y.length; t++) {
      const v = y[t];
      if (!Number.isFinite(v))
        throw new DatasetError(`SampleSource: sample ${i} has target ${v}; targets must be finite numbers.`);
      if (
        this.target !== 'values' &&
        (!Number.isInteger(v) || v < 0 || (this.numClasses !== undefined && v >= this.numClasses))
      ) {
        throw new DatasetError(
          `SampleSource: sample ${i} has label ${v}, not a class index in [0, ${this.numClasses ?? '∞'}).`,
        );
      }
      ys[k * this.targetSize + t] = v;
    }
  }

  private tensors(xs: Float32Array, ys: Float32Array, b: number): { x: Tensor; y: Tensor } {
    const x = tf.tensor(xs, [b, ...this.sampleShape], 'float32');
    if (this.target === 'sparse') return { x, y: tf.tensor1d(Int32Array.from(ys), 'int32') };
    if (this.target === 'binary') return { x, y: tf.tensor2d(ys, [b, 1], 'float32') };
    if (this.target === 'values') return { x, y: tf.tensor2d(ys, [b, this.targetSize], 'float32') };
    const k = this.numClasses!;
    const hot = new Float32Array(b * k);
    for (let r = 0; r < b; r++) hot[r * k + ys[r]] = 1;
    return { x, y: tf.tensor2d(hot, [b, k], 'float32') };
  }
}
