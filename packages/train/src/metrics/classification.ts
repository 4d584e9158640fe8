import { ConfigError, DataError } from '../errors.js';

function sameLength(op: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new DataError(`${op}: ${a.length} labels but ${b.length} predictions.`);
}

/**
 * The fraction of predictions equal to the labels (class indices).
 * @public
 */
export function accuracyScore(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  sameLength('accuracyScore', labels, predictions);
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predictions[i]) hits++;
  return labels.length === 0 ? 0 : hits / labels.length;
}

/**
 * The confusion matrix: `m[t][p]` counts samples of true class t predicted as class p.
 * Classes must lie in [0, numClasses).
 * @public
 */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): number[][] {
  sameLength('confusionMatrix', labels, predictions);
  if (!Number.isInteger(numClasses) || numClasses <= 0) throw new ConfigError('numClasses', `confusionMatrix: numClasses must be a positive integer, got ${numClasses}.`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    const p = predictions[i];
    for (const [what, c] of [['label', t], ['prediction', p]] as const) {
      if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
        throw new DataError(`confusionMatrix: ${what} ${c} at row ${i} is outside [0, ${numClasses}).`, i);
      }
    }
    m[t][p]++;
  }
  return m;
}

/**
 * How per-class scores are combined: `'binary'` reports the positive class only, `'macro'` averages the
 * classes equally, `'micro'` pools all decisions (for single-label data micro precision = recall = accuracy).
 * @public
 */
export type Average = 'binary' | 'macro' | 'micro';

/** Options of precision, recall and F1. @public */
export interface ClassScoreOptions {
  /** Number of classes (default: 1 + the largest class seen). */
  readonly numClasses?: number;
  /** Default `'binary'` when there are two classes, else `'macro'`. */
  readonly average?: Average;
  /** The positive class for `'binary'` (default 1). */
  readonly positiveClass?: number;
}

function counts(labels: ArrayLike<number>, predictions: ArrayLike<number>, options: ClassScoreOptions) {
  let k = options.numClasses ?? 0;
  if (options.numClasses === undefined) {
    for (let i = 0; i < labels.length; i++) k = Math.max(k, labels[i] + 1, predictions[i] + 1);
    k = Math.max(k, 2);
  }
  const m = confusionMatrix(labels, predictions, k);
  const tp = m.map((row, c) => row[c]);
  const predicted = m[0].map((_, c) => m.reduce((s, row) => s + row[c], 0));
  const actual = m.map((row) => row.reduce((s, v) => s + v, 0));
  const average = options.average ?? (k === 2 ? 'binary' : 'macro');
  const positive = options.positiveClass ?? 1;
  if (average === 'binary' && (positive < 0 || positive >= k)) {
    throw new ConfigError('positiveClass', `positiveClass ${positive} is outside [0, ${k}).`);
  }
  return { tp, predicted, actual, average, positive };
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

type Score = (tp: number, predicted: number, actual: number) => number;

function classScore(labels: ArrayLike<number>, predictions: ArrayLike<number>, options: ClassScoreOptions, score: Score): number {
  const { tp, predicted, actual, average, positive } = counts(labels, predictions, options);
  if (average === 'binary') return score(tp[positive], predicted[positive], actual[positive]);
  if (average === 'micro') return score(sum(tp), sum(predicted), sum(actual));
  return tp.reduce((s, _, c) => s + score(tp[c], predicted[c], actual[c]), 0) / tp.length;
}

const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);

/**
 * Precision: of the samples predicted as a class, the fraction that belong to it, TP / (TP + FP).
 * 0 when nothing was predicted as the class.
 * @public
 */
export function precision(labels: ArrayLike<number>, predictions: ArrayLike<number>, options: ClassScoreOptions = {}): number {
  return classScore(labels, predictions, options, (tp, p) => ratio(tp, p));
}

/**
 * Recall: of the samples of a class, the fraction predicted as it, TP / (TP + FN).
 * @public
 */
export function recall(labels: ArrayLike<number>, predictions: ArrayLike<number>, options: ClassScoreOptions = {}): number {
  return classScore(labels, predictions, options, (tp, _p, a) => ratio(tp, a));
}

/**
 * F1 score: the harmonic mean of precision and recall, 2·TP / (2·TP + FP + FN).
 * @public
 */
export function f1Score(labels: ArrayLike<number>, predictions: ArrayLike<number>, options: ClassScoreOptions = {}): number {
  return classScore(labels, predictions, options, (tp, p, a) => ratio(2 * tp, p + a));
}

/**
 * Area under the ROC curve for binary labels (0/1) and scores: the probability that a random positive scores
 * higher than a random negative, ties counting one half (the Mann–Whitney statistic). NaN when only one
 * class is present; a NaN score is a `DataError` naming the row.
 * @public
 */
export function aucRoc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  sameLength('aucRoc', labels, scores);
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    // A NaN breaks the sort's ordering, and the result (0.75 for one NaN among four) would look plausible.
    if (Number.isNaN(scores[i])) throw new DataError(`aucRoc: score NaN at row ${i}; scores must be numbers (a model whose loss went NaN has no AUC).`, i);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  // Average ranks of tied scores, then sum the positives' ranks.
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      const y = labels[order[k]];
      if (y !== 0 && y !== 1) throw new DataError(`aucRoc: label ${y} at row ${order[k]} is not 0 or 1.`, order[k]);
      if (y === 1) {
        rankSum += rank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Mean absolute error between two equally long arrays of numbers.
 * @public
 */
export function meanAbsoluteErrorScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  sameLength('meanAbsoluteErrorScore', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yPred[i] - yTrue[i]);
  return yTrue.length === 0 ? 0 : s / yTrue.length;
}

/**
 * Mean squared error between two equally long arrays of numbers.
 * @public
 */
export function meanSquaredErrorScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  sameLength('meanSquaredErrorScore', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yPred[i] - yTrue[i]) ** 2;
  return yTrue.length === 0 ? 0 : s / yTrue.length;
}
