/**
 * @file Several inputs and outputs, trained by the one-tensor Trainer: the inputs are packed side by side into one
 * `[batch, Σ features]` tensor, the outputs (flattened) and the targets likewise, and a composite loss slices them
 * back apart, applies each output's loss and adds them with their weights. So a graph `Model` with several inputs
 * or outputs gets every Trainer feature (validation, callbacks, checkpoints, exact resume) unchanged.
 */
import { ShapeError, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { ConfigError, DataError } from '../errors.js';
import { getLoss } from '../losses/getLoss.js';
import type { LossName } from '../losses/getLoss.js';
import { defineLoss } from '../losses/loss.js';
import type { Loss } from '../losses/loss.js';
import { isDatasetMetric, resolveMetric } from '../metrics/metric.js';
import type { BatchMetric, MetricSpec } from '../metrics/metric.js';
import type { TrainableModel } from './model.js';

/** One named input or output of a graph model: its shape (batch dimension `null` first) and the layer it comes from. @public */
export interface GraphEndpoint {
  /** `[null, ...sampleShape]`. */
  readonly shape: readonly (number | null)[];
  /** The layer whose name names the input or output. */
  readonly sourceLayer: { readonly name: string };
}

/** A model with named inputs and outputs, such as `@nutshell/layers`' graph `Model`. @public */
export interface MultiIOModel extends Omit<TrainableModel, 'apply'> {
  /** The inputs, in order. */
  readonly inputs: readonly GraphEndpoint[];
  /** The outputs, in order. */
  readonly outputs: readonly GraphEndpoint[];
  /** Forward pass: one tensor per input in, one per output out; the caller owns them. */
  applyAll(x: Tensor[], options?: { training?: boolean }): Tensor[];
}

/** A value per input or output name. @public */
export type PerName<T> = Readonly<Record<string, T>>;

/** True for a model with more than one input or output (and `applyAll`). */
export function isMultiIO(model: unknown): model is MultiIOModel {
  const m = model as Partial<MultiIOModel>;
  return (
    Array.isArray(m?.inputs) &&
    Array.isArray(m?.outputs) &&
    typeof m.applyAll === 'function' &&
    (m.inputs.length > 1 || m.outputs.length > 1)
  );
}

const sizeOf = (shape: readonly (number | null)[]): number =>
  shape.slice(1).reduce<number>((a, d) => a * (d ?? NaN), 1);

/** The packed form of a multi-input, multi-output model, its composite loss and per-output metrics. */
export interface PackedTraining {
  /** Takes `[batch, Σ input features]`, returns `[batch, Σ output values]`. */
  readonly model: TrainableModel;
  /** Σ weight × loss of each output. */
  readonly loss: Loss;
  /** `<output>_loss` for each output, then `<output>_<metric>`. */
  readonly metrics: BatchMetric[];
  /** Input names in order. */
  readonly inputNames: readonly string[];
  /** Output names in order. */
  readonly outputNames: readonly string[];
  /** Packs `{ input: tensor }` (or tensors in input order) into one `[n, Σ features]` tensor; the caller owns it. */
  packInputs(x: PerName<Tensor> | readonly Tensor[], what: string): Tensor;
  /** Packs `{ output: targets }` into one `[n, Σ target values]` tensor; the caller owns it. */
  packTargets(y: PerName<Tensor> | readonly Tensor[], what: string): Tensor;
  /** Splits packed outputs into `{ output: tensor }` of the model's output shapes; the caller owns them. */
  unpackOutputs(packed: Tensor): Record<string, Tensor>;
}

/**
 * Packs a multi-input, multi-output model for the Trainer. `loss`, `lossWeights` (default 1 each) and `metrics`
 * are given per output name (or one loss for every output). Names that are not the model's outputs are a
 * `ConfigError` listing the outputs.
 */
export function packMultiIO(
  model: MultiIOModel,
  lossSpec: LossName | Loss | PerName<LossName | Loss>,
  lossWeights: PerName<number> = {},
  metricSpec: readonly MetricSpec[] | PerName<readonly MetricSpec[]> = {},
): PackedTraining {
  const inputNames = model.inputs.map((i) => i.sourceLayer.name);
  const outputNames = model.outputs.map((o) => o.sourceLayer.name);
  const inShapes = model.inputs.map((i) => i.shape.slice(1) as number[]);
  const outShapes = model.outputs.map((o) => o.shape.slice(1) as number[]);
  const inSizes = model.inputs.map((i) => sizeOf(i.shape));
  const outSizes = model.outputs.map((o) => sizeOf(o.shape));
  if ([...inSizes, ...outSizes].some((s) => !Number.isInteger(s))) {
    throw new ConfigError(
      'model',
      `compile: every input and output of a multi-input/output model needs a fixed shape besides the batch (inputs ${fmtShapes(model.inputs)}, outputs ${fmtShapes(model.outputs)}).`,
    );
  }
  const perOutput = <T>(
    v: T | PerName<T>,
    isOne: (v: unknown) => boolean,
    option: string,
    fallback?: T,
  ): T[] => {
    if (isOne(v)) return outputNames.map(() => v as T);
    const named = v as PerName<T>;
    checkNames(Object.keys(named), outputNames, option, 'output', false);
    return outputNames.map((n) => {
      if (named[n] === undefined && fallback === undefined)
        throw new ConfigError(
          option,
          `compile: ${option} has no entry for output '${n}' (outputs: ${outputNames.join(', ')}).`,
        );
      return named[n] ?? fallback!;
    });
  };
  const losses = perOutput<LossName | Loss>(
    lossSpec,
    (v) => typeof v === 'string' || typeof v === 'function',
    'loss',
  ).map((l) => getLoss(l));
  const weights = perOutput<number>(lossWeights, (v) => typeof v === 'number', 'lossWeights', 1);
  weights.forEach((w, i) => {
    if (!(Number.isFinite(w) && w >= 0))
      throw new ConfigError(
        'lossWeights',
        `compile: lossWeights['${outputNames[i]}'] must be a finite number ≥ 0, got ${w}.`,
      );
  });
  const metricLists = perOutput<readonly MetricSpec[]>(metricSpec, Array.isArray, 'metrics', []);

  // Targets: one value per sample for a sparse loss, else as many as the output has.
  const targetSizes = losses.map((l, i) =>
    l.lossName === 'sparseCategoricalCrossentropy' ? 1 : outSizes[i],
  );
  const targetShapes = losses.map((l, i) =>
    l.lossName === 'sparseCategoricalCrossentropy' ? [] : outShapes[i],
  );
  const offsets = (sizes: number[]) => sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  const inOff = offsets(inSizes);
  const outOff = offsets(outSizes);
  const tOff = offsets(targetSizes);
  const column = (t: Tensor, off: number, size: number, shape: number[]) =>
    tf.reshape(tf.slice(t, [0, off], [t.shape[0], size]), [t.shape[0], ...shape]);
  const outputOf = (p: Tensor, i: number) => column(p, outOff[i], outSizes[i], outShapes[i]);
  const targetOf = (y: Tensor, i: number) => column(y, tOff[i], targetSizes[i], targetShapes[i]);

  const packed: TrainableModel = {
    name: (model as { name?: string }).name,
    get weights() {
      return model.weights;
    },
    get trainableWeights() {
      return model.trainableWeights;
    },
    regularizationLoss: model.regularizationLoss ? () => model.regularizationLoss!() : undefined,
    apply(x, options) {
      return tf.tidy(() => {
        const xs = inShapes.map((s, i) => column(x, inOff[i], inSizes[i], s));
        const outs = model.applyAll(xs, options);
        return tf.concat(
          outs.map((o) => tf.reshape(o, [o.shape[0], -1])),
          1,
        );
      });
    },
  };
  const loss = defineLoss('multiOutput', (y, p) => {
    let total: Tensor | undefined;
    losses.forEach((l, i) => {
      if (weights[i] === 0) return;
      const part = tf.mul(l.perSample(targetOf(y, i), outputOf(p, i)), weights[i]);
      total = total ? tf.add(total, part) : part;
    });
    return total ?? tf.zeros([p.shape[0]]);
  });
  const metrics: BatchMetric[] = [];
  if (outputNames.length > 1) {
    losses.forEach((l, i) =>
      metrics.push({
        name: `${outputNames[i]}_loss`,
        perSample: (y, p) => l.perSample(targetOf(y, i), outputOf(p, i)),
      }),
    );
  }
  metricLists.forEach((specs, i) => {
    for (const spec of specs) {
      const m = resolveMetric(spec, losses[i].fromLogits ?? false);
      if (isDatasetMetric(m))
        throw new ConfigError(
          'metrics',
          `compile: metric '${m.name}' needs every prediction at once; per output, use metrics computed batch by batch (accuracy, mae, mse) and evaluate the output separately for '${m.name}'.`,
        );
      const name = outputNames.length > 1 ? `${outputNames[i]}_${m.name}` : m.name;
      metrics.push({ name, perSample: (y, p) => m.perSample(targetOf(y, i), outputOf(p, i)) });
    }
  });

  const pack = (
    given: PerName<Tensor> | readonly Tensor[],
    names: readonly string[],
    sizes: number[],
    what: string,
    kind: 'input' | 'output',
    shapes: number[][],
  ): Tensor => {
    const list = Array.isArray(given) ? (given as readonly Tensor[]) : undefined;
    if (list && list.length !== names.length)
      throw new ConfigError(
        `${kind}s`,
        `${what}: the model has ${names.length} ${kind}s (${names.join(', ')}), got ${list.length} ${kind === 'input' ? 'feature' : 'target'} tensors.`,
      );
    if (!list) checkNames(Object.keys(given), names, `${kind}s`, kind, true, what);
    const ts = names.map((n, i) => (list ? list[i] : (given as PerName<Tensor>)[n]));
    const n = ts[0].shape[0];
    ts.forEach((t, i) => {
      if (!(t instanceof tf.Tensor))
        throw new DataError(`${what}: ${kind} '${names[i]}' must be a tensor or an array of numbers.`);
      if (t.shape[0] !== n)
        throw new DataError(
          `${what}: ${kind} '${names[i]}' has ${t.shape[0]} samples but '${names[0]}' has ${n}.`,
        );
      if (t.size !== n * sizes[i])
        throw new ShapeError(`${what} (${kind} '${names[i]}')`, [n, ...shapes[i]], t.shape);
    });
    return tf.tidy(() =>
      tf.concat(
        ts.map((t) => tf.reshape(tf.cast(t, 'float32'), [n, -1])),
        1,
      ),
    );
  };
  return {
    model: packed,
    loss,
    metrics,
    inputNames,
    outputNames,
    packInputs: (x, what) => pack(x, inputNames, inSizes, what, 'input', inShapes),
    packTargets: (y, what) => pack(y, outputNames, targetSizes, what, 'output', targetShapes),
    unpackOutputs: (p) =>
      Object.fromEntries(outputNames.map((name, i) => [name, tf.tidy(() => outputOf(p, i))])),
  };
}

/** Refuses names that are not among `expected` (and, if `all`, missing ones), listing the expected names. */
function checkNames(
  given: string[],
  expected: readonly string[],
  option: string,
  kind: string,
  all: boolean,
  what = 'compile',
): void {
  const unknown = given.filter((g) => !expected.includes(g));
  const missing = all ? expected.filter((e) => !given.includes(e)) : [];
  if (unknown.length || missing.length) {
    const parts = [
      unknown.length ? `unknown ${kind} name(s) ${unknown.map((u) => `'${u}'`).join(', ')}` : '',
      missing.length ? `no value for ${missing.map((m) => `'${m}'`).join(', ')}` : '',
    ].filter(Boolean);
    throw new ConfigError(
      option,
      `${what}: ${parts.join('; ')}. The model's ${kind}s are: ${expected.join(', ')}.`,
    );
  }
}

function fmtShapes(es: readonly GraphEndpoint[]): string {
  return es.map((e) => `${e.sourceLayer.name} [${e.shape.map((d) => d ?? 'null').join(', ')}]`).join(', ');
}
