import { ShapeError, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { DataError } from '../errors.js';

/**
 * Where training data comes from: a size and a way to build a batch from sample indices. `ArrayDataset` from
 * `@nutshell/datasets` is one; `{ x, y }` tensors are wrapped in one. The caller of `gather` disposes the batch.
 * @public
 */
export interface DataSource {
  readonly size: number;
  gather(indices: ArrayLike<number>): { x: Tensor; y: Tensor };
}

/** Features and targets as two tensors whose first dimension is the sample. @public */
export interface TensorData {
  readonly x: Tensor;
  readonly y: Tensor;
}

/** Training or evaluation data: tensors or a data source. @public */
export type FitData = TensorData | DataSource;

/** A DataSource over two tensors; `gather` copies the rows it is asked for. */
class TensorSource implements DataSource {
  readonly size: number;
  constructor(
    private readonly x: Tensor,
    private readonly y: Tensor,
    what: string,
  ) {
    if (x.rank === 0 || y.rank === 0) throw new ShapeError(what, '[samples, ...]', x.rank === 0 ? x.shape : y.shape, 'x and y need a sample dimension');
    if (x.shape[0] !== y.shape[0]) {
      throw new DataError(`${what}: x has ${x.shape[0]} samples but y has ${y.shape[0]}; features and labels must have the same length.`);
    }
    this.size = x.shape[0];
  }
  gather(indices: ArrayLike<number>): { x: Tensor; y: Tensor } {
    return tf.tidy(() => {
      const idx = tf.tensor1d(indices as Int32Array, 'int32');
      return { x: tf.gather(this.x, idx), y: tf.gather(this.y, idx) };
    });
  }
}

/** A view of some samples of another source, in a fixed order. */
class SubsetSource implements DataSource {
  readonly size: number;
  constructor(
    private readonly source: DataSource,
    private readonly indices: Int32Array,
  ) {
    this.size = indices.length;
  }
  gather(indices: ArrayLike<number>): { x: Tensor; y: Tensor } {
    const mapped = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) mapped[i] = this.indices[indices[i]];
    return this.source.gather(mapped);
  }
}

/** Wraps tensors in a DataSource; a DataSource passes through. */
export function toSource(data: FitData, what: string): DataSource {
  if (data && typeof (data as DataSource).gather === 'function' && typeof (data as DataSource).size === 'number') return data as DataSource;
  const t = data as TensorData;
  if (!t || !(t.x instanceof tf.Tensor) || !(t.y instanceof tf.Tensor)) {
    throw new DataError(`${what}: expected { x, y } tensors or a DataSource (size and gather(indices)).`);
  }
  return new TensorSource(t.x, t.y, what);
}

/** The first `n − ⌊n·split⌋` samples for training and the rest for validation (as Keras: before shuffling). */
export function splitSource(source: DataSource, split: number): { train: DataSource; validation: DataSource } {
  const nVal = Math.floor(source.size * split);
  const nTrain = source.size - nVal;
  const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
  return { train: new SubsetSource(source, range(0, nTrain)), validation: new SubsetSource(source, range(nTrain, source.size)) };
}

/** What a data check needs to know about the targets the model expects. */
export interface TargetSpec {
  /** Outputs per sample of the model. */
  readonly outputSize: number;
  /** Targets are class indices in [0, outputSize) (a sparse loss, or index targets with several outputs). */
  readonly sparse: boolean;
  /** Targets are 0/1 (one output and a binary loss). */
  readonly binary: boolean;
}

/**
 * Reads the data in chunks and refuses NaN or infinite values and labels outside the classes, naming the row.
 * `chunk` rows are read at a time, so even large sources are checked without a second copy of the data.
 */
export async function checkData(source: DataSource, spec: TargetSpec, what: string, chunk = 2048): Promise<void> {
  for (let start = 0; start < source.size; start += chunk) {
    const end = Math.min(source.size, start + chunk);
    const idx = Int32Array.from({ length: end - start }, (_, i) => start + i);
    const { x, y } = source.gather(idx);
    try {
      const [xv, yv] = await Promise.all([x.data(), y.data()]);
      const xPer = xv.length / (end - start);
      for (let i = 0; i < xv.length; i++) {
        if (!Number.isFinite(xv[i])) {
          const row = start + Math.floor(i / xPer);
          throw new DataError(`${what}: x[${row}] contains ${xv[i]} (at feature ${i % xPer}); remove or impute the row before training.`, row);
        }
      }
      const yPer = yv.length / (end - start);
      for (let i = 0; i < yv.length; i++) {
        const v = yv[i];
        const row = start + Math.floor(i / yPer);
        if (!Number.isFinite(v)) throw new DataError(`${what}: y[${row}] is ${v}; labels must be finite numbers.`, row);
        if (spec.sparse && yPer === 1 && (!Number.isInteger(v) || v < 0 || v >= spec.outputSize)) {
          throw new DataError(
            `${what}: label ${v} at row ${row} is outside the classes [0, ${spec.outputSize}) the model predicts (${spec.outputSize} outputs).`,
            row,
          );
        }
        if (spec.binary && (v < 0 || v > 1)) {
          throw new DataError(`${what}: label ${v} at row ${row} is outside [0, 1], which a binary loss needs.`, row);
        }
      }
    } finally {
      tf.dispose([x, y]);
    }
  }
}
