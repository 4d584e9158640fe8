import { ShapeError, fillTensor, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { DataError } from '../errors.js';
import { firstNonFinite } from './firstNonFinite.js';

/** A batch: features and targets, first dimension the sample. @public */
export interface Batch {
  /** Features, `[batch, ...]`. */
  readonly x: Tensor;
  /** Targets, `[batch, ...]`. */
  readonly y: Tensor;
}

/**
 * Where training data comes from: a size and a way to build a batch from sample indices. `ArrayDataset` from
 * `@nutshell/datasets` is one; `{ x, y }` tensors are wrapped in one. `gather` may be asynchronous (a promise of
 * the batch: files read on demand, as `SampleSource` and `ImageFolder` of `@nutshell/datasets` do); the Trainer
 * then reads the next batch while the current one trains. The caller of `gather` disposes the batch.
 * @public
 */
export interface DataSource {
  /** Number of samples. */
  readonly size: number;
  /** The samples at `indices`, as a batch (or a promise of one); the caller disposes both tensors. */
  gather(indices: ArrayLike<number>): Batch | Promise<Batch>;
  /** Optional: called (and awaited) once before training or evaluation reads batches. */
  prepare?(): Promise<void>;
  /**
   * Optional: every sample's features and targets as flat arrays, when the source holds them in memory. The
   * Trainer's data check then scans them directly instead of gathering every row (`y` may hold one class index
   * per sample even when `gather` returns one-hot rows). See {@link SourceValues}.
   */
  values?(): SourceValues | undefined;
}

/**
 * Every sample's features and targets, for the Trainer's data check (`DataSource.values`).
 * @public
 */
export interface SourceValues {
  /** Features, row-major. */
  readonly x: ArrayLike<number>;
  /**
   * Targets, row-major. Read only when `finite` is not set or a check depends on the model (class indices within
   * its outputs, 0/1 for a binary loss), so a source may build it when first read (a getter).
   */
  readonly y: ArrayLike<number>;
  /**
   * Set when every value of `x` and `y` is already known to be finite (checked when the data were made, and not
   * modified since): the check then skips its scan for NaN and infinities, which on MNIST is most of its cost.
   */
  readonly finite?: boolean;
}

/** Features and targets as two tensors whose first dimension is the sample. @public */
export interface TensorData {
  /** Features, `[samples, ...]`. */
  readonly x: Tensor;
  /** Targets: class indices `[samples]`, one-hot or values `[samples, outputs]`. */
  readonly y: Tensor;
}

/** Training or evaluation data: tensors or a data source. @public */
export type FitData = TensorData | DataSource;

/**
 * A DataSource over two tensors. After `prepare` (one read of each tensor: free on the CPU backend, one copy
 * elsewhere) a batch is gathered by copying rows in JavaScript, which is much faster than the CPU backend's
 * `gather` kernel (about 150 ns an element); before it, `tf.gather` is used.
 */
class TensorSource implements DataSource {
  readonly size: number;
  private xv: Float32Array | Int32Array | Uint8Array | undefined;
  private yv: Float32Array | Int32Array | Uint8Array | undefined;
  constructor(
    private readonly x: Tensor,
    private readonly y: Tensor,
    what: string,
  ) {
    if (x.rank === 0 || y.rank === 0)
      throw new ShapeError(
        what,
        '[samples, ...]',
        x.rank === 0 ? x.shape : y.shape,
        'x and y need a sample dimension',
      );
    if (x.shape[0] !== y.shape[0]) {
      throw new DataError(
        `${what}: x has ${x.shape[0]} samples but y has ${y.shape[0]}; features and labels must have the same length.`,
      );
    }
    this.size = x.shape[0];
  }
  async prepare(): Promise<void> {
    if (
      this.x.dtype === 'string' ||
      this.y.dtype === 'string' ||
      this.x.dtype === 'complex64' ||
      this.y.dtype === 'complex64'
    )
      return;
    [this.xv, this.yv] = (await Promise.all([this.x.data(), this.y.data()])) as [Float32Array, Float32Array];
  }
  /** The prepared values of x and y, for checks that scan everything. */
  values(): SourceValues | undefined {
    return this.xv && this.yv ? { x: this.xv, y: this.yv } : undefined;
  }
  gather(indices: ArrayLike<number>): { x: Tensor; y: Tensor } {
    if (this.xv && this.yv) {
      // The indices are checked before either tensor is made, so a bad one leaves nothing behind.
      return { x: rows(this.xv, this.x, indices), y: rows(this.yv, this.y, indices) };
    }
    return tf.tidy(() => {
      const idx = tf.tensor1d(indices as Int32Array, 'int32');
      return { x: tf.gather(this.x, idx), y: tf.gather(this.y, idx) };
    });
  }
}

type Values = Float32Array | Int32Array | Uint8Array;

/**
 * The rows `indices` of `t` (whose values are `v`) as a new tensor, written where the backend keeps its values
 * (`fillTensor`: straight into the wasm heap on wasm and native) for float32 and int32.
 */
function rows(v: Values, t: Tensor, indices: ArrayLike<number>): Tensor {
  const per = t.size / t.shape[0];
  // Every row's first value is read before any row is copied, so that the rows of a shuffled batch wait for memory
  // together rather than one after another (as `ArrayDataset.gather` of @nutshell/datasets does; about half the copy).
  let touched = 0;
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!(r >= 0 && r < t.shape[0]))
      throw new DataError(`gather: index ${r} at position ${i} is outside [0, ${t.shape[0]}).`);
    touched += v[r * per];
  }
  sink[0] = touched; // used, so that the loads are not optimised away
  const copy = (out: Values) => {
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i];
      out.set(v.subarray(r * per, (r + 1) * per), i * per);
    }
  };
  const shape = [indices.length, ...t.shape.slice(1)];
  if (t.dtype === 'float32' || t.dtype === 'int32') return fillTensor(shape, t.dtype, copy);
  const out = new (v.constructor as Float32ArrayConstructor)(indices.length * per);
  copy(out);
  return tf.tensor(out, shape, t.dtype);
}

/** Where `rows` leaves the sum of the values it read ahead of the copy. */
const sink = new Float64Array(1);

/** A view of some samples of another source, in a fixed order. */
class SubsetSource implements DataSource {
  readonly size: number;
  constructor(
    private readonly source: DataSource,
    private readonly indices: Int32Array,
  ) {
    this.size = indices.length;
  }
  async prepare(): Promise<void> {
    await this.source.prepare?.();
  }
  gather(indices: ArrayLike<number>): Batch | Promise<Batch> {
    const mapped = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) mapped[i] = this.indices[indices[i]];
    return this.source.gather(mapped);
  }
}

/** Wraps tensors in a DataSource; a DataSource passes through. */
export function toSource(data: FitData, what: string): DataSource {
  if (
    data &&
    typeof (data as DataSource).gather === 'function' &&
    typeof (data as DataSource).size === 'number'
  )
    return data as DataSource;
  const t = data as TensorData;
  if (!t || !(t.x instanceof tf.Tensor) || !(t.y instanceof tf.Tensor)) {
    throw new DataError(`${what}: expected { x, y } tensors or a DataSource (size and gather(indices)).`);
  }
  return new TensorSource(t.x, t.y, what);
}

/** The first `n − ⌊n·split⌋` samples for training and the rest for validation (as Keras: before shuffling). */
export function splitSource(
  source: DataSource,
  split: number,
): { train: DataSource; validation: DataSource } {
  const nVal = Math.floor(source.size * split);
  const nTrain = source.size - nVal;
  const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
  return {
    train: new SubsetSource(source, range(0, nTrain)),
    validation: new SubsetSource(source, range(nTrain, source.size)),
  };
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
 * A source with `values()` is scanned in place instead (float32 features by their exponent bits, see
 * `firstNonFinite`: about 30 ms for MNIST's 47 M values), and one whose values are known finite (`finite`: an
 * `ArrayDataset` of a data set checked when made) only for what depends on the model: its labels.
 * `chunk` rows are read at a time, so even large sources are checked without a second copy of the data.
 * The features of a chunk are tested on the device (Σ x·0 is NaN exactly when some x is NaN or infinite) and read
 * back only when that test fails, to name the row; only the targets (one or a few values a row) are always read.
 * Chunks of 512 rows rather than 2,048: the gathered buffers are then reused by the allocator instead of mapped
 * afresh. On MNIST's 60,000 rows this check takes 2–3× less CPU than reading every chunk of 2,048 back.
 */
export async function checkData(
  source: DataSource,
  spec: TargetSpec,
  what: string,
  chunk = 512,
): Promise<void> {
  const direct = source.values?.();
  if (direct) {
    // Values known finite need only the checks that depend on the model, which read the targets alone.
    if (direct.finite !== true) scan(direct.x, direct.y, 0, source.size, spec, what);
    else if (spec.sparse || spec.binary) scan(undefined, direct.y, 0, source.size, spec, what, true);
    return;
  }
  for (let start = 0; start < source.size; start += chunk) {
    const end = Math.min(source.size, start + chunk);
    const idx = Int32Array.from({ length: end - start }, (_, i) => start + i);
    const { x, y } = await source.gather(idx);
    let flag: Tensor | undefined;
    try {
      // Integer features cannot be NaN or infinite.
      flag = x.dtype === 'float32' ? tf.tidy(() => tf.sum(tf.mul(x, 0))) : undefined;
      const [f, yv] = await Promise.all([flag?.data(), y.data()]);
      const xv = f && f[0] !== 0 ? await x.data() : undefined;
      scan(xv, yv, start, end - start, spec, what);
    } finally {
      tf.dispose([x, y, ...(flag ? [flag] : [])]);
    }
  }
}

/**
 * Checks `count` rows whose values are `xv` (features; left out when known finite) and `yv` (targets, known finite
 * when `yFinite`); row numbers start at `start`.
 */
function scan(
  xv: ArrayLike<number> | undefined,
  yv: ArrayLike<number>,
  start: number,
  count: number,
  spec: TargetSpec,
  what: string,
  yFinite = false,
): void {
  const xBad = xv ? firstNonFinite(xv) : -1;
  if (xv && xBad >= 0) {
    const xPer = xv.length / count;
    const row = start + Math.floor(xBad / xPer);
    throw new DataError(
      `${what}: x[${row}] contains ${xv[xBad]} (at feature ${xBad % xPer}); remove or impute the row before training.`,
      row,
    );
  }
  const yPer = yv.length / count;
  // The first bad label is reported, whatever is wrong with it: the range checks run only up to the first
  // non-finite label (most targets are all finite, so that is every label).
  const yBad = yFinite ? -1 : firstNonFinite(yv);
  const checked = yBad >= 0 ? yBad : yv.length;
  if (spec.sparse && yPer === 1) {
    for (let i = 0; i < checked; i++) {
      const v = yv[i];
      if (!Number.isInteger(v) || v < 0 || v >= spec.outputSize) {
        const row = start + i;
        throw new DataError(
          `${what}: label ${v} at row ${row} is outside the classes [0, ${spec.outputSize}) the model predicts (${spec.outputSize} outputs).`,
          row,
        );
      }
    }
  }
  if (spec.binary) {
    for (let i = 0; i < checked; i++) {
      const v = yv[i];
      if (v < 0 || v > 1) {
        const row = start + Math.floor(i / yPer);
        throw new DataError(
          `${what}: label ${v} at row ${row} is outside [0, 1], which a binary loss needs.`,
          row,
        );
      }
    }
  }
  if (yBad >= 0) {
    const row = start + Math.floor(yBad / yPer);
    throw new DataError(`${what}: y[${row}] is ${yv[yBad]}; labels must be finite numbers.`, row);
  }
}
