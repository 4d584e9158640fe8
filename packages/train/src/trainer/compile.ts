import { tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { DataError } from '../errors.js';
import { ProgressLogger } from '../callbacks/ProgressLogger.js';
import type { ProgressMode, ProgressUpdate } from '../callbacks/ProgressLogger.js';
import { Trainer } from './Trainer.js';
import type { EvaluateOptions, FitOptions, TrainerOptions } from './Trainer.js';
import type { DataSource, FitData } from './dataSource.js';
import type { History } from './events.js';
import type { TrainableModel } from './model.js';
import { ensureBackend } from './autoBackend.js';
import { predictBatched, predictClasses, predictProba } from './predictions.js';

/** Features or targets: a tensor, or plain numbers (nested arrays or a typed array), first dimension the sample. @public */
export type ArrayData = Tensor | tf.TensorLike;

/** Options of `compile`: those of a `Trainer`, plus where messages go. @public */
export interface CompileOptions extends TrainerOptions {
  /** Where the backend line and progress lines go (default `console.log`). */
  readonly log?: (line: string) => void;
}

/** Options of `CompiledModel.fit`: those of `Trainer.fit`, with defaults, plus `verbose`. @public */
export interface CompiledFitOptions extends Omit<FitOptions, 'epochs' | 'validationData'> {
  /** Epochs (default 1). */
  readonly epochs?: number;
  /** Data to evaluate at the end of each epoch: `[x, y]`, `{ x, y }` or a DataSource. */
  readonly validationData?: readonly [ArrayData, ArrayData] | FitData;
  /**
   * Progress: 1 (default) a live bar on a terminal or about ten lines per epoch otherwise; 2 one line per epoch;
   * 0 nothing (the backend line included). A `ProgressLogger` in `callbacks` replaces the default one.
   */
  readonly verbose?: 0 | 1 | 2;
  /** Also receive every progress update as data (e.g. to draw a bar in a page). */
  readonly onProgress?: (update: ProgressUpdate) => void;
}

/**
 * A model with its loss, optimizer and metrics, trained and used in one call each, like Keras's `compile` + `fit`:
 * `fit(x, y)` shows progress by default and uses the fastest usable backend unless one was chosen, `evaluate`,
 * `predict`, `predictProba` and `predictClasses` take tensors or plain arrays. `trainer` is the full `Trainer`
 * for events, checkpoints and everything else.
 * @public
 */
export class CompiledModel {
  /** The model trained. */
  readonly model: TrainableModel;
  /** The Trainer behind `fit` and `evaluate` (subscribe to its events with `trainer.on`). */
  readonly trainer: Trainer;
  private readonly log: (line: string) => void;

  constructor(model: TrainableModel, options: CompileOptions) {
    this.model = model;
    this.trainer = new Trainer(model, options);
    this.log = options.log ?? ((line) => console.log(line));
  }

  /** The history of the last `fit`. */
  get history(): History {
    return this.trainer.history;
  }

  /**
   * Trains on `x` and `y` (or on a `{ x, y }` / DataSource given as the only data argument) and returns the history.
   * Plain arrays become tensors (freed afterwards); one target per sample for a loss other than sparse
   * cross-entropy is shaped `[samples, 1]` to match a one-output model.
   */
  async fit(x: ArrayData, y: ArrayData, options?: CompiledFitOptions): Promise<History>;
  async fit(data: FitData, options?: CompiledFitOptions): Promise<History>;
  async fit(
    a: ArrayData | FitData,
    b?: ArrayData | CompiledFitOptions,
    c?: CompiledFitOptions,
  ): Promise<History> {
    const twoArgs = isFitData(a);
    const options: CompiledFitOptions = ((twoArgs ? b : c) as CompiledFitOptions | undefined) ?? {};
    const verbose = options.verbose ?? 1;
    await ensureBackend(verbose === 0 ? () => {} : this.log);
    const owned: Tensor[] = [];
    try {
      const data = twoArgs ? (a as FitData) : this.pair(a as ArrayData, b as ArrayData, owned, 'fit');
      const v = options.validationData;
      const validationData =
        v === undefined
          ? undefined
          : Array.isArray(v)
            ? this.pair(v[0] as ArrayData, v[1] as ArrayData, owned, 'fit (validationData)')
            : (v as FitData);
      const callbacks = [...(options.callbacks ?? [])];
      let progress: ProgressLogger | undefined;
      if (!callbacks.some((cb) => cb instanceof ProgressLogger) && (verbose !== 0 || options.onProgress)) {
        const mode: ProgressMode = verbose === 0 ? 'none' : verbose === 2 ? 'epochs' : 'auto';
        progress = new ProgressLogger({ mode, log: this.log, onProgress: options.onProgress });
        callbacks.unshift(progress);
      }
      try {
        const { verbose: _v, onProgress: _p, ...rest } = options;
        return await this.trainer.fit(data, {
          ...rest,
          epochs: options.epochs ?? 1,
          validationData,
          callbacks,
        });
      } finally {
        progress?.stopBar();
      }
    } finally {
      tf.dispose(owned);
    }
  }

  /** Loss and metrics on `x` and `y` (inference mode). */
  async evaluate(x: ArrayData, y: ArrayData, options?: EvaluateOptions): Promise<Record<string, number>>;
  async evaluate(data: FitData, options?: EvaluateOptions): Promise<Record<string, number>>;
  async evaluate(
    a: ArrayData | FitData,
    b?: ArrayData | EvaluateOptions,
    c?: EvaluateOptions,
  ): Promise<Record<string, number>> {
    await ensureBackend(this.log);
    const owned: Tensor[] = [];
    try {
      if (isFitData(a)) return await this.trainer.evaluate(a, b as EvaluateOptions | undefined);
      return await this.trainer.evaluate(this.pair(a as ArrayData, b as ArrayData, owned, 'evaluate'), c);
    } finally {
      tf.dispose(owned);
    }
  }

  /** The model's outputs for `x` (logits for Nutshell's builders), in batches; the caller owns the result. */
  async predict(x: ArrayData, options: { batchSize?: number } = {}): Promise<Tensor> {
    await ensureBackend(this.log);
    return this.withTensor(x, (t) => predictBatched(this.model, t, options.batchSize));
  }

  /** Class probabilities `[samples, classes]` (a binary model's as `[1 − p, p]`); the caller owns the result. */
  async predictProba(x: ArrayData, options: { batchSize?: number } = {}): Promise<Tensor> {
    await ensureBackend(this.log);
    return this.withTensor(x, (t) =>
      predictProba(this.model, t, { ...options, fromLogits: this.trainer.loss.fromLogits ?? false }),
    );
  }

  /** The predicted class of each sample, as plain numbers. */
  async predictClasses(x: ArrayData, options: { batchSize?: number } = {}): Promise<Int32Array> {
    await ensureBackend(this.log);
    return this.withTensor(x, (t) =>
      predictClasses(this.model, t, { ...options, fromLogits: this.trainer.loss.fromLogits ?? false }),
    );
  }

  /** Frees the optimizer's state. The model is the caller's. */
  dispose(): void {
    this.trainer.dispose();
  }

  private async withTensor<T>(x: ArrayData, f: (t: Tensor) => T | Promise<T>): Promise<T> {
    const owned: Tensor[] = [];
    try {
      return await f(toFeatures(x, owned, 'predict'));
    } finally {
      tf.dispose(owned);
    }
  }

  /** `{ x, y }` tensors from arrays or tensors; tensors made here are pushed to `owned`. */
  private pair(x: ArrayData, y: ArrayData, owned: Tensor[], what: string): FitData {
    const xt = toFeatures(x, owned, what);
    let yt = y instanceof tf.Tensor ? y : track(tf.tensor(y as tf.TensorLike), owned, what, 'y');
    // One target per sample for a loss that compares shapes (binary cross-entropy, MSE): make it a column.
    if (yt.rank === 1 && this.trainer.loss.lossName !== 'sparseCategoricalCrossentropy')
      yt = track(tf.reshape(yt, [yt.shape[0], 1]), owned, what, 'y');
    return { x: xt, y: yt };
  }
}

/**
 * Puts a model, a loss, an optimizer and metrics together for training: the short path (`fit(x, y)` with progress,
 * `evaluate`, `predictProba`, `predictClasses`). Keep `Trainer` for full control; `compiled.trainer` is one.
 * @example
 * ```ts
 * const net = compile(model, { loss: sparseCategoricalCrossentropy({ fromLogits: true }), optimizer: 'adam', metrics: ['accuracy'] });
 * await net.fit(x, y, { epochs: 10, validationSplit: 0.2 });
 * const classes = await net.predictClasses(xTest);
 * ```
 * @public
 */
export function compile(model: TrainableModel, options: CompileOptions): CompiledModel {
  return new CompiledModel(model, options);
}

function isFitData(a: unknown): a is FitData {
  if (a instanceof tf.Tensor || Array.isArray(a) || ArrayBuffer.isView(a)) return false;
  return (
    typeof a === 'object' &&
    a !== null &&
    (('x' in a && 'y' in a) || typeof (a as DataSource).gather === 'function')
  );
}

function toFeatures(x: ArrayData, owned: Tensor[], what: string): Tensor {
  if (x instanceof tf.Tensor)
    return x.rank === 1 ? track(tf.reshape(x, [x.shape[0], 1]), owned, what, 'x') : x;
  const t = track(tf.tensor(x), owned, what, 'x');
  // A flat list of numbers is one feature per sample.
  return t.rank === 1 ? track(tf.reshape(t, [t.shape[0], 1]), owned, what, 'x') : t;
}

function track(t: Tensor, owned: Tensor[], what: string, name: string): Tensor {
  if (t.dtype === 'string') {
    t.dispose();
    throw new DataError(`${what}: ${name} holds strings; encode them as numbers first (e.g. class indices).`);
  }
  owned.push(t);
  return t;
}
