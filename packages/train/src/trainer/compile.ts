import { tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { ConfigError, DataError } from '../errors.js';
import { ProgressLogger } from '../callbacks/ProgressLogger.js';
import type { ProgressMode, ProgressUpdate } from '../callbacks/ProgressLogger.js';
import { Trainer } from './Trainer.js';
import type { EvaluateOptions, FitOptions, TrainerOptions } from './Trainer.js';
import type { DataSource, FitData } from './dataSource.js';
import type { History } from './events.js';
import type { TrainableModel } from './model.js';
import { ensureBackend } from './autoBackend.js';
import { predictBatched, predictClasses, predictProba } from './predictions.js';
import { isMultiIO, packMultiIO } from './multiIO.js';
import type { MultiIOModel, PackedTraining, PerName } from './multiIO.js';
import type { LossName } from '../losses/getLoss.js';
import type { Loss } from '../losses/loss.js';
import type { MetricSpec } from '../metrics/metric.js';

/** Features or targets: a tensor, or plain numbers (nested arrays or a typed array), first dimension the sample. @public */
export type ArrayData = Tensor | tf.TensorLike;

/**
 * Options of `compile`: those of a `Trainer`, plus where messages go. For a model with several outputs, `loss`,
 * `lossWeights` and `metrics` may be given per output name (one loss for all outputs is fine too).
 * @public
 */
export interface CompileOptions extends Omit<TrainerOptions, 'loss' | 'metrics'> {
  /** A loss (name or `Loss`), or one per output name for a model with several outputs. */
  readonly loss: LossName | Loss | PerName<LossName | Loss>;
  /** Per output name, the weight of its loss in the total (default 1 each). */
  readonly lossWeights?: PerName<number>;
  /** Metrics besides the loss, or per output name (logged as `<output>_<metric>`). */
  readonly metrics?: readonly MetricSpec[] | PerName<readonly MetricSpec[]>;
  /** Where the backend line and progress lines go (default `console.log`). */
  readonly log?: (line: string) => void;
}

/** Features or targets of a model with several inputs or outputs: values per name, or tensors in order. @public */
export type NamedData = PerName<ArrayData> | readonly Tensor[];

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
 * `predict`, `predictProba` and `predictClasses` take tensors or plain arrays. A graph `Model` with several inputs
 * or outputs takes its data per name (`fit({ image, meta }, { digit, parity })`), each output with its loss, loss
 * weight and metrics. `trainer` is the full `Trainer` for events, checkpoints and everything else.
 * @public
 */
export class CompiledModel {
  /** The model trained. */
  readonly model: TrainableModel | MultiIOModel;
  /** The Trainer behind `fit` and `evaluate` (subscribe to its events with `trainer.on`). */
  readonly trainer: Trainer;
  private readonly log: (line: string) => void;
  /** For a model with several inputs or outputs: how its data is packed for the Trainer. */
  private readonly multi: PackedTraining | undefined;

  constructor(model: TrainableModel | MultiIOModel, options: CompileOptions) {
    this.model = model;
    const { loss, lossWeights, metrics, log, ...rest } = options;
    if (isMultiIO(model)) {
      this.multi = packMultiIO(model, loss, lossWeights, metrics);
      this.trainer = new Trainer(this.multi.model, { ...rest, loss: this.multi.loss, metrics: this.multi.metrics });
    } else {
      if (typeof loss === 'object' && loss !== null) {
        throw new ConfigError('loss', 'compile: a loss per output name needs a model with several outputs (a graph Model); this one has one output: give one loss.');
      }
      if (lossWeights) throw new ConfigError('lossWeights', 'compile: lossWeights needs a model with several outputs.');
      if (metrics !== undefined && !Array.isArray(metrics)) throw new ConfigError('metrics', 'compile: metrics per output name need a model with several outputs; give a list.');
      this.trainer = new Trainer(model as TrainableModel, { ...rest, loss, metrics: metrics as readonly MetricSpec[] | undefined });
    }
    this.log = log ?? ((line) => console.log(line));
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
  async fit(x: NamedData, y: NamedData, options?: CompiledFitOptions): Promise<History>;
  async fit(data: FitData, options?: CompiledFitOptions): Promise<History>;
  async fit(a: ArrayData | NamedData | FitData, b?: ArrayData | NamedData | CompiledFitOptions, c?: CompiledFitOptions): Promise<History> {
    const oneData = this.isSource(a);
    const options: CompiledFitOptions = ((oneData ? b : c) as CompiledFitOptions | undefined) ?? {};
    if (this.multi && options.classWeights) throw new ConfigError('classWeights', 'fit: classWeights with several outputs is not supported; weight the outputs with lossWeights.');
    const verbose = options.verbose ?? 1;
    await ensureBackend(verbose === 0 ? () => {} : this.log);
    const owned: Tensor[] = [];
    try {
      const data = oneData ? (a as FitData) : this.pair(a as ArrayData, b as ArrayData, owned, 'fit');
      const v = options.validationData;
      const validationData = v === undefined ? undefined : Array.isArray(v) ? this.pair(v[0] as ArrayData, v[1] as ArrayData, owned, 'fit (validationData)') : (v as FitData);
      const callbacks = [...(options.callbacks ?? [])];
      let progress: ProgressLogger | undefined;
      if (!callbacks.some((cb) => cb instanceof ProgressLogger) && (verbose !== 0 || options.onProgress)) {
        const mode: ProgressMode = verbose === 0 ? 'none' : verbose === 2 ? 'epochs' : 'auto';
        progress = new ProgressLogger({ mode, log: this.log, onProgress: options.onProgress });
        callbacks.unshift(progress);
      }
      try {
        const { verbose: _v, onProgress: _p, ...rest } = options;
        return await this.trainer.fit(data, { ...rest, epochs: options.epochs ?? 1, validationData, callbacks });
      } finally {
        progress?.stopBar();
      }
    } finally {
      tf.dispose(owned);
    }
  }

  /** Loss and metrics on `x` and `y` (inference mode). */
  async evaluate(x: ArrayData, y: ArrayData, options?: EvaluateOptions): Promise<Record<string, number>>;
  async evaluate(x: NamedData, y: NamedData, options?: EvaluateOptions): Promise<Record<string, number>>;
  async evaluate(data: FitData, options?: EvaluateOptions): Promise<Record<string, number>>;
  async evaluate(a: ArrayData | NamedData | FitData, b?: ArrayData | NamedData | EvaluateOptions, c?: EvaluateOptions): Promise<Record<string, number>> {
    await ensureBackend(this.log);
    const owned: Tensor[] = [];
    try {
      if (this.isSource(a)) return await this.trainer.evaluate(a as FitData, b as EvaluateOptions | undefined);
      return await this.trainer.evaluate(this.pair(a as ArrayData, b as ArrayData, owned, 'evaluate'), c);
    } finally {
      tf.dispose(owned);
    }
  }

  /**
   * The model's output for `x` (logits for Nutshell's builders), in batches; the caller owns the result. For a
   * model with several outputs use `predictAll`.
   */
  async predict(x: ArrayData | NamedData, options: { batchSize?: number } = {}): Promise<Tensor> {
    if (this.multi) {
      const outs = await this.predictAll(x, options);
      const names = Object.keys(outs);
      if (names.length === 1) return outs[names[0]];
      tf.dispose(Object.values(outs));
      throw new ConfigError('predict', `predict: the model has ${names.length} outputs (${names.join(', ')}); use predictAll(x), which returns one tensor per output.`);
    }
    await ensureBackend(this.log);
    return this.withTensor(x as ArrayData, (t) => predictBatched(this.trainer.model, t, options.batchSize));
  }

  /** Every output of the model for `x`, by output name (a one-output model's as `output`); the caller owns them. */
  async predictAll(x: ArrayData | NamedData, options: { batchSize?: number } = {}): Promise<Record<string, Tensor>> {
    if (!this.multi) return { output: await this.predict(x, options) };
    await ensureBackend(this.log);
    const multi = this.multi;
    const owned: Tensor[] = [];
    try {
      const packed = track(multi.packInputs(this.named(x as NamedData, owned, 'predict'), 'predict'), owned, 'predict', 'x');
      const out = track(predictBatched(this.trainer.model, packed, options.batchSize), owned, 'predict', 'output');
      return multi.unpackOutputs(out);
    } finally {
      tf.dispose(owned);
    }
  }

  /** Class probabilities `[samples, classes]` (a binary model's as `[1 − p, p]`); the caller owns the result. */
  async predictProba(x: ArrayData, options: { batchSize?: number } = {}): Promise<Tensor> {
    await ensureBackend(this.log);
    return this.withTensor(x, (t) => predictProba(this.single('predictProba'), t, { ...options, fromLogits: this.trainer.loss.fromLogits ?? false }));
  }

  /** The predicted class of each sample, as plain numbers. */
  async predictClasses(x: ArrayData, options: { batchSize?: number } = {}): Promise<Int32Array> {
    await ensureBackend(this.log);
    return this.withTensor(x, (t) => predictClasses(this.single('predictClasses'), t, { ...options, fromLogits: this.trainer.loss.fromLogits ?? false }));
  }

  /** Frees the optimizer's state. The model is the caller's. */
  dispose(): void {
    this.trainer.dispose();
  }

  /** Whether `a` is the only data argument (a DataSource, or `{ x, y }` for a one-input, one-output model). */
  private isSource(a: unknown): boolean {
    return this.multi ? typeof (a as DataSource)?.gather === 'function' : isFitData(a);
  }

  /** The model, when it has one input and one output (probabilities and classes need one output). */
  private single(what: string): TrainableModel {
    if (this.multi) throw new ConfigError(what, `${what}: the model has several inputs or outputs; use predictAll and read the output you want.`);
    return this.trainer.model;
  }

  private async withTensor<T>(x: ArrayData, f: (t: Tensor) => T | Promise<T>): Promise<T> {
    const owned: Tensor[] = [];
    try {
      return await f(toFeatures(x, owned, 'predict'));
    } finally {
      tf.dispose(owned);
    }
  }

  /** Tensors per name (or in order) from arrays or tensors; tensors made here are pushed to `owned`. */
  private named(x: NamedData, owned: Tensor[], what: string): PerName<Tensor> | readonly Tensor[] {
    if (Array.isArray(x)) return x as readonly Tensor[];
    if (x instanceof tf.Tensor || typeof x !== 'object' || x === null) {
      throw new ConfigError('inputs', `${what}: a model with several inputs or outputs takes { name: values } or tensors in order.`);
    }
    return Object.fromEntries(Object.entries(x as PerName<ArrayData>).map(([k, v]) => [k, v instanceof tf.Tensor ? v : track(tf.tensor(v), owned, what, k)]));
  }

  /** `{ x, y }` tensors from arrays or tensors (packed per name for several inputs/outputs); made ones go to `owned`. */
  private pair(x: ArrayData | NamedData, y: ArrayData | NamedData, owned: Tensor[], what: string): FitData {
    if (this.multi) {
      const xt = track(this.multi.packInputs(this.named(x as NamedData, owned, what), what), owned, what, 'x');
      const yt = track(this.multi.packTargets(this.named(y as NamedData, owned, what), what), owned, what, 'y');
      return { x: xt, y: yt };
    }
    const xt = toFeatures(x as ArrayData, owned, what);
    let yt = y instanceof tf.Tensor ? y : track(tf.tensor(y as tf.TensorLike), owned, what, 'y');
    // One target per sample for a loss that compares shapes (binary cross-entropy, MSE): make it a column.
    if (yt.rank === 1 && this.trainer.loss.lossName !== 'sparseCategoricalCrossentropy') yt = track(tf.reshape(yt, [yt.shape[0], 1]), owned, what, 'y');
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
export function compile(model: TrainableModel | MultiIOModel, options: CompileOptions): CompiledModel {
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
