import { permutation, readsSynchronously, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { ConfigError, DataError } from '../errors.js';
import { getLoss } from '../losses/getLoss.js';
import type { LossName } from '../losses/getLoss.js';
import { reduceLoss } from '../losses/loss.js';
import type { Loss } from '../losses/loss.js';
import { getOptimizer } from '../optimizers/getOptimizer.js';
import type { OptimizerName } from '../optimizers/getOptimizer.js';
import type { NamedVariable, Optimizer } from '../optimizers/optimizer.js';
import { isDatasetMetric, resolveMetric } from '../metrics/metric.js';
import type { BatchMetric, DatasetMetric, MetricSpec } from '../metrics/metric.js';
import type { Callback, TrainingContext } from '../callbacks/callback.js';
import { checkLossValues, firstSampleShapes } from './firstBatch.js';
import { checkData, toSource } from './dataSource.js';
import type { DataSource, FitData, TargetSpec } from './dataSource.js';
import type { BatchEndEvent, History, TrainerEvent, TrainerEventOf } from './events.js';
import type { TrainableModel } from './model.js';
import { ensureBackend, notice } from './autoBackend.js';
import { BatchReader, isPromise } from './prefetch.js';
import { ReadBack } from './readBack.js';
import { holdOutValidation } from './validationSplit.js';
import { startRun } from './resume.js';
import { CheckpointCadence } from './checkpointCadence.js';
import { Observers } from './observers.js';
import type { CheckpointStore } from '../checkpoint/store.js';

/** How a Trainer trains. @public */
export interface TrainerOptions {
  /** A loss name or a `Loss` (e.g. `sparseCategoricalCrossentropy({ fromLogits: true })`). */
  readonly loss: LossName | Loss;
  /** An optimizer or its name (then `learningRate` sets its rate). */
  readonly optimizer: Optimizer | OptimizerName;
  /** Learning rate for an optimizer given by name. */
  readonly learningRate?: number;
  /** Metrics to report besides the loss, e.g. `['accuracy']`. */
  readonly metrics?: readonly MetricSpec[];
  /** Seed of the shuffling order (default 0); `fit({ seed })` overrides it. */
  readonly seed?: number;
}

/** Where and how often a run is checkpointed. @public */
export interface CheckpointOptions {
  /** A folder (Node) or a store. */
  readonly to: string | CheckpointStore;
  /** Write a checkpoint every this many steps (default 100), and always at the end of each epoch. */
  readonly everySteps?: number;
  /** How many checkpoints to keep (default 2, so a corrupt newest one leaves a good one). */
  readonly keep?: number;
}

/** Options of `Trainer.fit`. @public */
export interface FitOptions {
  /** Total epochs of the run (a resumed run counts the epochs already done). */
  readonly epochs: number;
  /** Samples per step (default 32). */
  readonly batchSize?: number;
  /** Shuffle the samples every epoch (default true), in an order drawn from `seed`. */
  readonly shuffle?: boolean;
  /** Seed of the shuffling order (default: the Trainer's seed). */
  readonly seed?: number;
  /** Data to evaluate at the end of each epoch (logged as `val_loss`, `val_<metric>`). */
  readonly validationData?: FitData;
  /** Or: hold out this fraction of the training data (the last samples, before shuffling) for validation. */
  readonly validationSplit?: number;
  /** A weight per class (index → weight), multiplying each sample's loss. */
  readonly classWeights?: Readonly<Record<number, number>> | readonly number[];
  /** Called in order at each event, after the `on` subscribers. */
  readonly callbacks?: readonly Callback[];
  /** Continue the run whose checkpoints are in this folder or store. */
  readonly resume?: string | CheckpointStore;
  /** Write run checkpoints (default: into the `resume` location when resuming, otherwise none). */
  readonly checkpoint?: string | CheckpointStore | CheckpointOptions;
  /** Compute each weight's gradient norm every step (`gradNorms` in batch events). */
  readonly trackGradientNorms?: boolean;
  /**
   * Steps between dispatching a batch and reading its loss back (0 or 1). With 1, batch b's `batchEnd` is emitted
   * after batch b+1 is queued, so an asynchronous device (WebGPU) never idles waiting for the read; a callback's
   * `stop` then takes effect one batch later. Default 1 on WebGPU, else 0 (synchronous backends gain nothing).
   */
  readonly eventLag?: 0 | 1;
  /** Check the data for NaN, infinities and labels out of range before training (default true). */
  readonly checkData?: boolean;
}

/** Options of `Trainer.evaluate`. @public */
export interface EvaluateOptions {
  /** Samples per forward pass (default 256). */
  readonly batchSize?: number;
  /** Metrics to compute (default: the Trainer's metrics). */
  readonly metrics?: readonly MetricSpec[];
}

/** A subscriber to one event type; a returned promise is awaited before training goes on. @public */
export type TrainerEventHandler<T extends TrainerEvent['type']> = (event: TrainerEventOf<T>) => unknown;


/**
 * Trains a model: take data, predict, measure the error with the loss, adjust the weights with the optimizer,
 * repeat. `fit` runs epochs of shuffled mini-batches, validates, emits typed events (`on`), calls callbacks
 * and can checkpoint and resume a run exactly; `evaluate` and `predict` use the trained model.
 *
 * Every step runs in one `tf.tidy`, and training leaks no tensor.
 * @example
 * ```ts
 * const trainer = new Trainer(model, { loss: sparseCategoricalCrossentropy({ fromLogits: true }), optimizer: new Adam(), metrics: ['accuracy'] });
 * trainer.on('epochEnd', (e) => console.log(e.epoch, e.logs));
 * await trainer.fit({ x, y }, { epochs: 5, batchSize: 64, validationSplit: 0.1 });
 * ```
 * @public
 */
export class Trainer implements TrainingContext {
  /** The model trained. */
  readonly model: TrainableModel;
  /** The loss minimised. */
  readonly loss: Loss;
  /** The optimizer that updates the weights. */
  readonly optimizer: Optimizer;
  /** The metric names reported in logs (besides `loss`). */
  readonly metricNames: readonly string[];
  /** The history of the last `fit`. */
  history: History = { epochs: [], logs: {} };

  private readonly batchMetrics: BatchMetric[] = [];
  private readonly datasetMetrics: DatasetMetric[] = [];
  private readonly seed: number;
  private readonly observers = new Observers();
  private stopReason: string | undefined;
  private running = false;

  constructor(model: TrainableModel, options: TrainerOptions) {
    if (!model || typeof model.apply !== 'function') throw new ConfigError('model', 'Trainer: model must have apply(x) and weights.');
    if (!options || options.loss === undefined) throw new ConfigError('loss', 'Trainer: options.loss is required (a loss name or a Loss).');
    if (options.optimizer === undefined) throw new ConfigError('optimizer', 'Trainer: options.optimizer is required (an Optimizer or a name).');
    this.model = model;
    this.loss = getLoss(options.loss);
    this.optimizer = getOptimizer(options.optimizer, options.learningRate !== undefined ? { learningRate: options.learningRate } : {});
    for (const spec of options.metrics ?? []) {
      const m = resolveMetric(spec, this.loss.fromLogits ?? false);
      if (isDatasetMetric(m)) this.datasetMetrics.push(m);
      else this.batchMetrics.push(m);
    }
    this.metricNames = [...this.batchMetrics, ...this.datasetMetrics].map((m) => m.name);
    this.seed = options.seed ?? 0;
  }

  /** Subscribes to an event type; returns a function that unsubscribes. */
  on<T extends TrainerEvent['type']>(type: T, handler: TrainerEventHandler<T>): () => void {
    return this.observers.on(type, handler);
  }

  /** Stops a running `fit` after the current batch (callbacks call this). */
  stop(reason: string): void {
    this.stopReason ??= reason;
  }

  /**
   * Trains on `data` for `options.epochs` epochs and returns the history. The first fit of a program that has not
   * called `useBackend` selects the fastest usable backend (`NUTSHELL_BACKEND`, else `'auto'`) and says which
   * once. Rejects bad input before training:
   * a `ConfigError` for bad options, a `DataError` naming the row for NaN values or labels out of range.
   */
  async fit(data: FitData, options: FitOptions): Promise<History> {
    if (this.running) throw new ConfigError('fit', 'fit: this Trainer is already training; await the running fit first.');
    this.running = true;
    try {
      await ensureBackend(notice);
      return await this.runFit(data, options);
    } finally {
      this.running = false;
    }
  }

  private async runFit(data: FitData, options: FitOptions): Promise<History> {
    const opts = checkFitOptions(options);
    const all = toSource(data, 'fit');
    if (all.size === 0) throw new DataError('fit: the training data has no samples.');
    const given = options.validationData ? toSource(options.validationData, 'fit (validationData)') : undefined;
    await all.prepare?.();
    await given?.prepare?.();
    const spec = await this.targetSpec(all);
    // Checked before any split, so that a row is named by its index in the data given.
    if (options.checkData !== false) {
      await checkData(all, spec, 'fit');
      if (given) await checkData(given, spec, 'fit (validationData)');
    }
    await checkLossValues(this.model, this.loss, all);
    // Validation data the model or loss cannot take fails now, not after a whole epoch of training.
    if (given) await firstSampleShapes(this.model, this.loss, given);
    const { train: source, validation } = holdOutValidation(all, given, options.validationSplit);
    const callbacks = [...(options.callbacks ?? [])];
    const n = source.size;
    const batchSize = opts.batchSize;
    const steps = Math.ceil(n / batchSize);

    const weights = this.model.trainableWeights.map((w): NamedVariable => ({ name: w.name, variable: w.variable }));
    if (weights.length === 0) throw new ConfigError('model', 'fit: the model has no trainable weights (build it, or unfreeze a layer).');
    const variables = weights.map((w) => w.variable);
    this.optimizer.prepare(weights);
    const classWeightValues = opts.classWeights ? classWeightVector(opts.classWeights, spec.outputSize) : undefined;
    const lag = options.eventLag ?? (readsSynchronously() ? 0 : 1); // GPU backends: read a step behind
    // Where reads are synchronous and cheap (cpu, wasm, native), a step's scalars are read one by one: a Pack
    // kernel to stack them cost more than the reads. A GPU backend reads them stacked, once.
    const separate = readsSynchronously();
    const trackNorms = options.trackGradientNorms === true || callbacks.some((c) => c.needsGradientNorms);

    // Run state: fresh, or restored from the newest good checkpoint.
    this.history = { epochs: [], logs: {} };
    this.stopReason = undefined;
    const start = await startRun(options.resume, options.seed ?? this.seed, n, { model: this.model, optimizer: this.optimizer, callbacks }, (message) =>
      this.emit({ type: 'warning', message }, callbacks),
    );
    const { rng, resumed, store: resumeStore } = start;
    const startEpoch = start.epoch;
    let step = start.step;
    this.history = start.history;
    const ckpt = await CheckpointCadence.plan(options.checkpoint, resumeStore);
    // Made only now: a refused resume or checkpoint option above must not leak it.
    const classWeights = classWeightValues ? tf.keep(tf.tensor1d(classWeightValues)) : undefined;

    const batchCount = this.batchMetrics.length;
    const sums = new Float64Array(1 + batchCount);
    let seen = 0;
    let timed = 0; // samples trained since epochStart (a resumed epoch's earlier samples are not timed)
    let epochStart = 0;
    let currentEpoch = startEpoch;
    let reader: BatchReader | undefined;
    const readBack = new ReadBack(lag, (p, v) => {
      for (let i = 0; i <= batchCount; i++) sums[i] += v[i] * p.size;
      seen += p.size;
      timed += p.size;
      // The event is built only for someone who hears it (a fit without batch listeners makes no object a step).
      if (!this.observers.listening('batchEnd', callbacks)) return undefined;
      const metrics: Record<string, number> = {};
      this.batchMetrics.forEach((m, i) => (metrics[m.name] = v[1 + i]));
      let gradNorms: Record<string, number> | undefined;
      if (trackNorms) {
        gradNorms = {};
        weights.forEach((w, i) => (gradNorms![w.name] = Math.sqrt(v[1 + batchCount + i])));
      }
      const elapsed = (now() - epochStart) / 1000;
      const event: BatchEndEvent = {
        type: 'batchEnd',
        epoch: p.epoch,
        batch: p.batch,
        step: p.step,
        size: p.size,
        loss: v[0],
        metrics,
        samplesPerSec: elapsed > 0 ? timed / elapsed : 0,
        lr: p.lr,
        ...(gradNorms ? { gradNorms } : {}),
      };
      return this.emit(event, callbacks);
    });
    const flush = () => readBack.flush();

    await this.emit({ type: 'fitStart', epochs: opts.epochs, stepsPerEpoch: steps, samples: n, initialEpoch: startEpoch, initialStep: step }, callbacks);
    try {
      for (let epoch = startEpoch; epoch < opts.epochs && this.stopReason === undefined; epoch++) {
        currentEpoch = epoch;
        let order: Int32Array;
        let firstBatch = 0;
        sums.fill(0);
        seen = 0;
        if (resumed && epoch === resumed.epoch && resumed.order) {
          order = resumed.order;
          firstBatch = resumed.batch;
          sums.set(resumed.sums.slice(0, sums.length));
          seen = resumed.seen;
        } else {
          order = opts.shuffle ? permutation(n, { rng }) : Int32Array.from({ length: n }, (_, i) => i);
        }
        epochStart = now();
        timed = 0;
        await this.emit({ type: 'epochStart', epoch }, callbacks);
        const epochOrder = order;
        reader = new BatchReader(source, (b) => epochOrder.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize)), steps);
        for (let batch = firstBatch; batch < steps && this.stopReason === undefined; batch++) {
          // On a synchronous backend with no per-batch listener, a step awaits nothing: no event object, no
          // promise, so the loop's own cost stays small next to the step's kernels (W1: 938 steps of ~0.3 ms).
          if (this.observers.listening('batchStart', callbacks)) await this.emit({ type: 'batchStart', epoch, batch, step }, callbacks);
          const size = Math.min(n, (batch + 1) * batchSize) - batch * batchSize;
          const read = reader.read(batch);
          const { x, y } = isPromise(read) ? await read : read;
          let stats: Tensor | Tensor[];
          try {
            stats = this.trainStep(x, y, weights, variables, classWeights, trackNorms, separate);
          } finally {
            x.dispose();
            y.dispose();
          }
          const pushed = readBack.push({ stats, epoch, batch, step, size, lr: this.optimizer.learningRate });
          if (pushed) await pushed;
          step++;
          if (ckpt?.dueAfter(step, batch, steps)) {
            await flush();
            const location = await ckpt.write(
              { model: this.model, optimizer: this.optimizer, callbacks },
              { epoch, batch: batch + 1, step, rng: rng.state(), order, sums: Array.from(sums), seen, history: this.history },
            );
            await this.emit({ type: 'checkpoint', epoch, step, location }, callbacks);
          }
        }
        await reader.close();
        await flush();
        if (seen < n) break; // stopped mid-epoch: no epoch logs for a partial epoch
        const logs: Record<string, number> = { loss: sums[0] / seen };
        this.batchMetrics.forEach((m, i) => (logs[m.name] = sums[1 + i] / seen));
        if (validation) {
          const val = await this.evaluateSource(validation, Math.max(batchSize, 256), this.batchMetrics, this.datasetMetrics);
          for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
        }
        this.history.epochs.push(epoch);
        for (const [k, v] of Object.entries(logs)) (this.history.logs[k] ??= []).push(v);
        (this.history.logs.lr ??= []).push(this.optimizer.learningRate);
        await this.emit({ type: 'epochEnd', epoch, logs, lr: this.optimizer.learningRate, seconds: (now() - epochStart) / 1000 }, callbacks);
        if (ckpt) {
          const location = await ckpt.write(
            { model: this.model, optimizer: this.optimizer, callbacks },
            { epoch: epoch + 1, batch: 0, step, rng: rng.state(), order: undefined, sums: [], seen: 0, history: this.history },
          );
          await this.emit({ type: 'checkpoint', epoch, step, location }, callbacks);
        }
      }
    } finally {
      readBack.dispose();
      await reader?.close();
      classWeights?.dispose();
    }
    if (this.stopReason !== undefined) {
      this.history.stopped = { epoch: currentEpoch, step, reason: this.stopReason };
    }
    await this.emit({ type: 'fitEnd', history: this.history }, callbacks);
    return this.history;
  }

  /**
   * One optimisation step; returns [loss, batch metrics…, squared gradient norms…] as one tensor, or when `separate`
   * as one tensor each, a metric's per-sample values to be averaged when read (kept: the caller disposes).
   */
  private trainStep(
    x: Tensor,
    y: Tensor,
    weights: NamedVariable[],
    variables: tf.Variable[],
    classWeights: Tensor | undefined,
    trackNorms: boolean,
    separate = false,
  ): Tensor | Tensor[] {
    return tf.tidy(() => {
      let yPred: Tensor | undefined;
      const sampleWeight = classWeights ? tf.gather(classWeights, labelIndices(y, classWeights.size)) : undefined;
      let value: Tensor;
      let grads: tf.NamedTensorMap;
      try {
        ({ value, grads } = tf.variableGrads(
          () => {
            const out = this.model.apply(x, { training: true });
            yPred = tf.keep(out); // the metrics need it after the gradient's own tidy has ended
            let l = this.loss.reduced
              ? this.loss.reduced(y, out, { sampleWeight })
              : reduceLoss(this.loss.lossName, this.loss.perSample(y, out), { sampleWeight });
            const reg = this.model.regularizationLoss?.();
            if (reg) l = tf.add(l, reg);
            return l as tf.Scalar;
          },
          variables,
        ));
      } catch (e) {
        yPred?.dispose();
        throw e;
      }
      const gradients: Tensor[] = [];
      for (const v of variables) gradients.push(grads[v.name]);
      // Scalars stacked into one tensor read back once: one Pack kernel (a Reshape per part and a Concat before).
      const parts: Tensor[] = [value];
      try {
        // Read separately, a metric's per-sample values are averaged as they are read (no Mean kernel).
        for (const m of this.batchMetrics) {
          const perSample = m.perSample(y, yPred!);
          parts.push(separate ? perSample : tf.mean(perSample));
        }
      } finally {
        yPred?.dispose();
      }
      if (trackNorms) for (const g of gradients) parts.push(tf.sum(tf.square(g)));
      this.optimizer.applyGradients(weights, gradients);
      return separate ? parts : tf.stack(parts);
    });
  }

  /**
   * Loss and metrics of the model on `data` (inference mode, batched). Dataset metrics (precision, recall,
   * F1, AUC) are computed from every prediction.
   */
  async evaluate(data: FitData, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    const batchSize = options.batchSize ?? 256;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ConfigError('batchSize', `evaluate: batchSize must be a positive integer, got ${batchSize}.`);
    let batch = this.batchMetrics;
    let dataset = this.datasetMetrics;
    if (options.metrics) {
      const ms = options.metrics.map((s) => resolveMetric(s, this.loss.fromLogits ?? false));
      batch = ms.filter((m): m is BatchMetric => !isDatasetMetric(m));
      dataset = ms.filter(isDatasetMetric);
    }
    const source = toSource(data, 'evaluate');
    if (source.size === 0) throw new DataError('evaluate: the data has no samples.');
    await source.prepare?.();
    return this.evaluateSource(source, batchSize, batch, dataset);
  }

  private async evaluateSource(source: DataSource, batchSize: number, batch: BatchMetric[], dataset: DatasetMetric[]): Promise<Record<string, number>> {
    // Sums stay on the device; one read at the end (plus the predictions, when dataset metrics need them).
    let acc: Tensor | undefined;
    const preds: Float32Array[] = [];
    const truths: (Float32Array | Int32Array | Uint8Array)[] = [];
    let outputSize = 1;
    for (let start = 0; start < source.size; start += batchSize) {
      const idx = Int32Array.from({ length: Math.min(batchSize, source.size - start) }, (_, i) => start + i);
      const { x, y } = await source.gather(idx);
      let step: { sumsT: Tensor; yPred: Tensor | undefined };
      try {
        step = tf.tidy(() => {
          const p = this.model.apply(x, { training: false });
          const total = this.loss.reduced ? this.loss.reduced(y, p, { reduction: 'sum' }) : tf.sum(this.loss.perSample(y, p));
          const parts = [total];
          for (const m of batch) parts.push(tf.sum(m.perSample(y, p)));
          const s = tf.stack(parts);
          return { sumsT: acc ? tf.add(acc, s) : s, yPred: dataset.length ? p : undefined };
        });
      } catch (e) {
        tf.dispose([x, y]); // a batch the model or loss refuses must not leak its tensors or the running sums
        acc?.dispose();
        throw e;
      }
      const { sumsT, yPred } = step;
      acc?.dispose();
      acc = sumsT;
      if (yPred) {
        outputSize = yPred.size / idx.length;
        preds.push((await yPred.data()) as Float32Array);
        truths.push(await y.data());
        yPred.dispose();
      }
      tf.dispose([x, y]);
    }
    const v = await acc!.data();
    acc!.dispose();
    const out: Record<string, number> = { loss: v[0] / source.size };
    batch.forEach((m, i) => (out[m.name] = v[1 + i] / source.size));
    if (dataset.length) {
      const yPred = concatArrays(preds);
      const yTrue = concatArrays(truths);
      for (const m of dataset) out[m.name] = m.compute(yTrue, yPred, outputSize);
    }
    return out;
  }

  /** The model's outputs for `x`, in inference mode, `batchSize` samples at a time. The caller owns the result. */
  predict(x: Tensor, options: { batchSize?: number } = {}): Tensor {
    const batchSize = options.batchSize ?? 256;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ConfigError('batchSize', `predict: batchSize must be a positive integer, got ${batchSize}.`);
    return tf.tidy(() => {
      const n = x.shape[0];
      if (n <= batchSize) return this.model.apply(x, { training: false });
      const outs: Tensor[] = [];
      for (let s = 0; s < n; s += batchSize) outs.push(this.model.apply(tf.slice(x, s, Math.min(batchSize, n - s)), { training: false }));
      return tf.concat(outs, 0);
    });
  }

  /** Frees the optimizer's state. The model is the caller's. */
  dispose(): void {
    this.optimizer.dispose();
  }

  /** What the targets must look like, from one forward pass on one sample. */
  private async targetSpec(source: DataSource): Promise<TargetSpec> {
    const { output, targetSize } = await firstSampleShapes(this.model, this.loss, source);
    const outputSize = output.slice(1).reduce((a, b) => a * b, 1);
    const name = this.loss.lossName;
    const sparse = name === 'sparseCategoricalCrossentropy' || (outputSize > 1 && targetSize === 1 && name !== 'meanSquaredError' && name !== 'meanAbsoluteError' && name !== 'huber');
    const binary = name === 'binaryCrossentropy';
    return { outputSize, sparse, binary };
  }

  private emit(event: TrainerEvent, callbacks: readonly Callback[]): Promise<void> {
    return this.observers.emit(event, callbacks, this);
  }
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function checkFitOptions(o: FitOptions) {
  if (!o || typeof o !== 'object') throw new ConfigError('options', 'fit: options are required, e.g. { epochs: 5, batchSize: 32 }.');
  if (!Number.isInteger(o.epochs) || o.epochs < 0) throw new ConfigError('epochs', `fit: epochs must be an integer ≥ 0, got ${String(o.epochs)}.`);
  const batchSize = o.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ConfigError('batchSize', `fit: batchSize must be a positive integer, got ${String(o.batchSize)}.`);
  if (o.validationSplit !== undefined && !(o.validationSplit >= 0 && o.validationSplit < 1)) {
    throw new ConfigError('validationSplit', `fit: validationSplit must be in [0, 1), got ${String(o.validationSplit)}.`);
  }
  return { epochs: o.epochs, batchSize, shuffle: o.shuffle ?? true, classWeights: o.classWeights };
}

function classWeightVector(cw: Readonly<Record<number, number>> | readonly number[], classes: number): number[] {
  const k = Math.max(2, classes);
  const out = new Array<number>(k).fill(1);
  for (const [key, w] of Object.entries(cw)) {
    const c = Number(key);
    if (!Number.isInteger(c) || c < 0 || c >= k) throw new ConfigError('classWeights', `fit: classWeights has class ${key}, outside [0, ${k}).`);
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new ConfigError('classWeights', `fit: classWeights[${key}] must be a finite number ≥ 0, got ${String(w)}.`);
    out[c] = w;
  }
  return out;
}

/** Class index of each target: index targets as they are, one-hot rows by arg-max, 0/1 targets by threshold. */
function labelIndices(y: Tensor, classes: number): Tensor {
  const n = y.shape[0];
  if (y.size === n) return classes === 2 && y.dtype === 'float32' ? tf.cast(tf.greater(tf.reshape(y, [n]), 0.5), 'int32') : tf.cast(tf.reshape(y, [n]), 'int32');
  return tf.argMax(tf.reshape(y, [n, -1]), -1);
}

function concatArrays(parts: ArrayLike<number>[]): Float32Array {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p as Float32Array, o);
    o += p.length;
  }
  return out;
}
