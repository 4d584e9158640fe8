import { tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { ConfigError } from '../errors.js';
import { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKAccuracy } from './accuracy.js';
import { aucRoc, f1Score, precision, recall } from './classification.js';

/**
 * A metric that is a mean over samples, computed on the device batch by batch (accuracy, MAE, …): the Trainer
 * averages `perSample` over the epoch, weighting each batch by its size.
 * @public
 */
export interface BatchMetric {
  /** The name it is logged under. */
  readonly name: string;
  /** One value per sample, shape `[batch]`. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
}

/**
 * A metric that needs every prediction at once (precision, recall, F1, AUC). The Trainer computes it in
 * `evaluate` and on validation data at the end of each epoch, from the predictions read back.
 * @public
 */
export interface DatasetMetric {
  /** The name it is logged under. */
  readonly name: string;
  /**
   * `yTrue` holds the targets as given (class indices, or one-hot rows of `outputSize`); `yPred` the model's
   * outputs, `outputSize` per sample.
   */
  compute(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, outputSize: number): number;
}

/** A metric by name (see `resolveMetric`) or a metric object. @public */
export type MetricSpec = string | BatchMetric | DatasetMetric;

/** True for metric objects that need every prediction at once. @public */
export function isDatasetMetric(m: BatchMetric | DatasetMetric): m is DatasetMetric {
  return typeof (m as DatasetMetric).compute === 'function';
}

/**
 * Accuracy that picks its kind from the shapes, like Keras's `'accuracy'`: one output per sample is binary
 * (threshold 0.5, or 0 for logits), class-index targets are sparse, one-hot targets are categorical.
 */
function autoAccuracy(name: string, fromLogits: boolean): BatchMetric {
  return {
    name,
    perSample(yTrue, yPred) {
      const outputs = yPred.rank >= 2 ? (yPred.shape[yPred.rank - 1] as number) : 1;
      if (outputs === 1) return binaryAccuracy(yTrue, yPred, fromLogits ? 0 : 0.5);
      if (yTrue.size === yPred.shape[0]) return sparseCategoricalAccuracy(yTrue, yPred);
      return categoricalAccuracy(yTrue, yPred);
    },
  };
}

function perSampleMean(name: string, f: (d: Tensor) => Tensor): BatchMetric {
  return {
    name,
    perSample: (yTrue, yPred) =>
      tf.tidy(() => {
        const d = f(tf.sub(yPred, tf.reshape(tf.cast(yTrue, 'float32'), yPred.shape)));
        return d.rank <= 1 ? d : tf.mean(tf.reshape(d, [d.shape[0], -1]), 1);
      }),
  };
}

/** Turns targets and outputs into class labels, predicted classes and per-class scores. */
function decide(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, outputSize: number, threshold: number) {
  const n = yPred.length / outputSize;
  const oneHot = yTrue.length === yPred.length && outputSize > 1;
  const labels = new Int32Array(n);
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (outputSize === 1) {
      labels[i] = yTrue[i] > 0.5 ? 1 : 0;
      predicted[i] = yPred[i] > threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    let bestTrue = 0;
    for (let c = 1; c < outputSize; c++) {
      if (yPred[i * outputSize + c] > yPred[i * outputSize + best]) best = c;
      if (oneHot && yTrue[i * outputSize + c] > yTrue[i * outputSize + bestTrue]) bestTrue = c;
    }
    predicted[i] = best;
    labels[i] = oneHot ? bestTrue : yTrue[i];
  }
  return { labels, predicted, n, classes: Math.max(2, outputSize) };
}

function classMetric(name: string, fromLogits: boolean, score: typeof precision): DatasetMetric {
  return {
    name,
    compute(yTrue, yPred, outputSize) {
      const { labels, predicted, classes } = decide(yTrue, yPred, outputSize, fromLogits ? 0 : 0.5);
      return score(labels, predicted, { numClasses: classes });
    },
  };
}

function aucMetric(name: string): DatasetMetric {
  return {
    name,
    compute(yTrue, yPred, outputSize) {
      const { labels, n, classes } = decide(yTrue, yPred, outputSize, 0);
      if (outputSize === 1) return aucRoc(labels, yPred);
      // One-vs-rest per class, averaged over the classes present (macro), on the raw scores (rank-invariant).
      let total = 0;
      let counted = 0;
      for (let c = 0; c < classes; c++) {
        const y = new Int32Array(n);
        const s = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          y[i] = labels[i] === c ? 1 : 0;
          s[i] = yPred[i * outputSize + c];
        }
        const a = aucRoc(y, s);
        if (!Number.isNaN(a)) {
          total += a;
          counted++;
        }
      }
      return counted === 0 ? NaN : total / counted;
    },
  };
}

/**
 * A metric by name: `'accuracy'` (or `'acc'`, picks binary/sparse/categorical from the shapes),
 * `'binaryAccuracy'`, `'categoricalAccuracy'`, `'sparseCategoricalAccuracy'`, `'topKAccuracy'` (k = 5) or
 * `'top<k>Accuracy'`, `'mae'`, `'mse'`; and over whole data sets `'precision'`, `'recall'`, `'f1'` (macro
 * averages beyond two classes) and `'auc'` (one-vs-rest macro AUC beyond two classes).
 * `fromLogits` moves the binary threshold from 0.5 to 0.
 * @public
 */
export function resolveMetric(spec: MetricSpec, fromLogits = false): BatchMetric | DatasetMetric {
  if (typeof spec !== 'string') return spec;
  const topK = /^top(\d+)Accuracy$/.exec(spec);
  if (topK) {
    const k = Number(topK[1]);
    return { name: spec, perSample: (t, p) => topKAccuracy(t, p, k) };
  }
  switch (spec) {
    case 'accuracy':
    case 'acc':
      return autoAccuracy(spec, fromLogits);
    case 'binaryAccuracy':
      return { name: spec, perSample: (t, p) => binaryAccuracy(t, p, fromLogits ? 0 : 0.5) };
    case 'categoricalAccuracy':
      return { name: spec, perSample: categoricalAccuracy };
    case 'sparseCategoricalAccuracy':
      return { name: spec, perSample: sparseCategoricalAccuracy };
    case 'topKAccuracy':
      return { name: spec, perSample: (t, p) => topKAccuracy(t, p, 5) };
    case 'mae':
      return perSampleMean(spec, tf.abs);
    case 'mse':
      return perSampleMean(spec, tf.square);
    case 'precision':
      return classMetric(spec, fromLogits, precision);
    case 'recall':
      return classMetric(spec, fromLogits, recall);
    case 'f1':
      return classMetric(spec, fromLogits, f1Score);
    case 'auc':
      return aucMetric(spec);
    default:
      throw new ConfigError(
        'metrics',
        `Unknown metric '${spec}'. Known metrics: accuracy, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKAccuracy, top<k>Accuracy, mae, mse, precision, recall, f1, auc.`,
      );
  }
}
