import { ShapeError, copiesTensorValues, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { createDataset, rowSize } from './dataset.js';
import type { Dataset, DatasetInit } from './dataset.js';
import { DatasetError } from './errors.js';

/**
 * How {@link ArrayDataset} turns labels into target tensors:
 * `'sparse'` — int32 class indices `[batch]` (for sparse categorical cross-entropy);
 * `'oneHot'` — float32 `[batch, numClasses]` (for categorical cross-entropy);
 * `'binary'` — float32 `[batch, 1]` holding 0 or 1 (for binary cross-entropy on two classes).
 * @public
 */
export type TargetEncoding = 'sparse' | 'oneHot' | 'binary';

/** Options for {@link ArrayDataset}. @public */
export interface ArrayDatasetOptions {
  /** Target encoding; default `'sparse'`. */
  readonly target?: TargetEncoding;
  /** Shape of one sample in the batch tensors, if not the data's `featureShape` (e.g. `[784]` to flatten MNIST). */
  readonly shape?: readonly number[];
}

/**
 * A data source over arrays in memory, for the Trainer (`DataSource` of `@nutshell/train`: `size` and
 * `gather(indices)`). It holds the data once; `gather` copies only the requested rows into one batch-sized
 * buffer and makes that batch's two tensors, so training streams batches without a second copy of the data
 * set on the backend.
 *
 * @example
 * ```ts
 * const train = new ArrayDataset(loadMnist({ split: 'train' }), { target: 'sparse' });
 * const { x, y } = train.gather([0, 1, 2]); // x: [3, 28, 28, 1] float32, y: [3] int32
 * x.dispose(); y.dispose();
 * ```
 * @public
 */
export class ArrayDataset {
  /** The data served (validated). */
  readonly data: Dataset;
  /** Number of samples. */
  readonly size: number;
  /** Shape of one sample in the batch tensors. */
  readonly sampleShape: readonly number[];
  /** Target encoding. */
  readonly target: TargetEncoding;
  private readonly width: number;
  private buffer: Float32Array | undefined;

  /** Wraps a data set (validated again when given as plain arrays). */
  constructor(data: Dataset | DatasetInit, options: ArrayDatasetOptions = {}) {
    this.data = 'n' in data && 'numClasses' in data ? (data as Dataset) : createDataset(data, 'ArrayDataset');
    this.size = this.data.n;
    this.width = rowSize(this.data.featureShape);
    this.sampleShape = [...(options.shape ?? this.data.featureShape)];
    if (rowSize(this.sampleShape) !== this.width) {
      throw new ShapeError('ArrayDataset', `a sample shape with ${this.width} values`, [...this.sampleShape]);
    }
    this.target = options.target ?? 'sparse';
    if (!['sparse', 'oneHot', 'binary'].includes(this.target)) {
      throw new DatasetError(
        `ArrayDataset: target must be 'sparse', 'oneHot' or 'binary', got '${this.target}'.`,
      );
    }
    if (this.target === 'binary' && this.data.numClasses !== 2) {
      throw new DatasetError(
        `ArrayDataset: target 'binary' needs 2 classes, the data has ${this.data.numClasses}.`,
      );
    }
  }

  /** Number of classes of the labels. */
  get numClasses(): number {
    return this.data.numClasses;
  }

  /**
   * Every sample's features (`x`, `size × sampleSize` values, row-major, the data's own array: no copy) and targets
   * (`y`) as flat arrays, so a check that scans all the data (the Trainer's `DataSource.values`) reads them
   * directly instead of gathering every row. `y` holds the values `gather` would give: one class index (`'sparse'`)
   * or 0/1 (`'binary'`) a sample, or the one-hot rows (`'oneHot'`, built on each call). Do not modify the arrays.
   */
  values(): { x: Float32Array; y: Int32Array | Uint8Array | Float32Array } {
    const { x, y, numClasses } = this.data;
    if (this.target !== 'oneHot') return { x, y };
    const hot = new Float32Array(this.size * numClasses);
    for (let r = 0; r < this.size; r++) hot[r * numClasses + y[r]] = 1;
    return { x, y: hot };
  }

  /**
   * The batch of rows `indices` as tensors `x` (`[batch, ...sampleShape]`, float32) and `y` (see
   * {@link TargetEncoding}); the caller disposes both. An index outside `[0, size)` is a `DatasetError`.
   */
  gather(indices: ArrayLike<number>): { x: Tensor; y: Tensor } {
    const b = indices.length;
    const w = this.width;
    const { x, y } = this.data;
    // Where the backend copies a new tensor's values (wasm, native), one buffer serves every batch: a fresh
    // 200 KB array a step cost more than the copy itself. Elsewhere (cpu, WebGPU) the tensor keeps its array.
    const reuse = copiesTensorValues();
    const xs = reuse ? this.scratch(b * w) : new Float32Array(b * w);
    const labels = new Int32Array(b);
    for (let k = 0; k < b; k++) {
      const i = indices[k];
      if (!(i >= 0 && i < this.size) || !Number.isInteger(i)) {
        throw new DatasetError(
          `ArrayDataset.gather: index ${i} at position ${k} is outside [0, ${this.size}).`,
        );
      }
      xs.set(x.subarray(i * w, i * w + w), k * w);
      labels[k] = y[i];
    }
    const xt = tf.tensor(xs, [b, ...this.sampleShape], 'float32');
    let yt: Tensor;
    if (this.target === 'sparse') yt = tf.tensor1d(labels, 'int32');
    else if (this.target === 'binary') yt = tf.tensor2d(Float32Array.from(labels), [b, 1], 'float32');
    else {
      const k = this.data.numClasses;
      const hot = new Float32Array(b * k);
      for (let r = 0; r < b; r++) hot[r * k + labels[r]] = 1;
      yt = tf.tensor2d(hot, [b, k], 'float32');
    }
    return { x: xt, y: yt };
  }

  /** `length` values of the batch buffer kept between batches (grown when a batch needs more). */
  private scratch(length: number): Float32Array {
    if (!this.buffer || this.buffer.length < length) this.buffer = new Float32Array(length);
    return this.buffer.subarray(0, length);
  }
}
