import { ShapeError, fillTensor } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { createDataset, isChecked, rowSize } from './dataset.js';
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
  /** The data served (checked when made by `createDataset`, or from plain arrays here; a hand-made `Dataset` as it is). */
  readonly data: Dataset;
  /** Number of samples. */
  readonly size: number;
  /** Shape of one sample in the batch tensors. */
  readonly sampleShape: readonly number[];
  /** Target encoding. */
  readonly target: TargetEncoding;
  private readonly width: number;

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
   * or 0/1 (`'binary'`) a sample, or the one-hot rows (`'oneHot'`, built when `y` is first read, so a check that
   * needs no targets costs no copy). `finite` is true when the data were checked when made (`createDataset`,
   * which `loadMnist` and the other loaders use, or plain arrays given to this constructor): every value is then
   * finite and every label in range, and a check need not scan them again. Do not modify the arrays.
   */
  values(): {
    readonly x: Float32Array;
    readonly y: Int32Array | Uint8Array | Float32Array;
    readonly finite: boolean;
  } {
    const { x, y, numClasses } = this.data;
    const finite = isChecked(this.data);
    if (this.target !== 'oneHot') return { x, y, finite };
    const n = this.size;
    let hot: Float32Array | undefined;
    return {
      x,
      finite,
      get y(): Float32Array {
        if (!hot) {
          hot = new Float32Array(n * numClasses);
          for (let r = 0; r < n; r++) hot[r * numClasses + y[r]] = 1;
        }
        return hot;
      },
    };
  }

  /**
   * The batch of rows `indices` as tensors `x` (`[batch, ...sampleShape]`, float32) and `y` (see
   * {@link TargetEncoding}); the caller disposes both. An index outside `[0, size)` is a `DatasetError`.
   */
  gather(indices: ArrayLike<number>): { x: Tensor; y: Tensor } {
    const b = indices.length;
    const w = this.width;
    const { x, y } = this.data;
    // Every row's first value is read before any row is copied: the rows of a shuffled batch lie anywhere in a
    // large array (188 MB for MNIST), and these loads wait for memory together rather than one row after another,
    // which halves the copy (W1: about 50 to 20-25 us a batch of 64 rows).
    let touched = 0;
    for (let k = 0; k < b; k++) {
      const i = indices[k];
      if (!(i >= 0 && i < this.size) || !Number.isInteger(i)) {
        throw new DatasetError(
          `ArrayDataset.gather: index ${i} at position ${k} is outside [0, ${this.size}).`,
        );
      }
      touched += x[i * w];
    }
    sink[0] = touched; // used, so that the loads above are not optimised away
    // Written where the backend keeps them (the wasm heap on wasm and native): one copy, not two.
    const xt = fillTensor([b, ...this.sampleShape], 'float32', (xs) => {
      for (let k = 0; k < b; k++) {
        const i = indices[k];
        xs.set(x.subarray(i * w, i * w + w), k * w);
      }
    });
    const labels = (v: Float32Array | Int32Array) => {
      for (let r = 0; r < b; r++) v[r] = y[indices[r]];
    };
    let yt: Tensor;
    try {
      if (this.target === 'sparse') yt = fillTensor([b], 'int32', labels);
      else if (this.target === 'binary') yt = fillTensor([b, 1], 'float32', labels);
      else {
        const k = this.data.numClasses;
        yt = fillTensor([b, k], 'float32', (hot) => {
          hot.fill(0);
          for (let r = 0; r < b; r++) hot[r * k + y[indices[r]]] = 1;
        });
      }
    } catch (e) {
      xt.dispose();
      throw e;
    }
    return { x: xt, y: yt };
  }
}

/** Where `gather` leaves the sum of the values it read ahead of the copy. */
const sink = new Float64Array(1);
