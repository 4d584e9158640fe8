/**
 * @file Value checks a loss runs on its inputs before computing (labels in range, probabilities in [0, 1]).
 *
 * A cross-entropy given a label outside its classes, or logits where it expects probabilities, still returns a
 * number — a wrong one, which trains a model to chance without a word. These checks read the values (one
 * synchronous read of the labels and of the predictions' minimum and maximum), so a loss runs them when called
 * as a function (`loss(yTrue, yPred)`) and the Trainer runs them once on the first batch of a fit; `perSample`
 * does not, so that a training step stays asynchronous.
 */
import { tf, type Tensor } from '@nutshell/tensor';
import { ConfigError, DataError } from '../errors.js';

// Softmax and sigmoid round to values a few ulps outside [0, 1].
const TOLERANCE = 1e-5;

/** Throws a `DataError` naming the row unless every label is an integer class index in [0, classes). @internal */
export function checkClassIndices(op: string, yTrue: Tensor, classes: number): void {
  const values = yTrue.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new DataError(
        `${op}: label ${v} at row ${i} is not a class index in [0, ${classes}) (the predictions have ${classes} classes).`,
        i,
      );
    }
  }
}

/** Throws a `DataError` naming the row unless every target lies in [0, 1] (0/1 labels or probabilities). @internal */
export function checkUnitTargets(op: string, yTrue: Tensor): void {
  const values = yTrue.dataSync();
  const per = yTrue.shape.length > 1 ? values.length / Math.max(1, yTrue.shape[0]) : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= 1)) {
      const row = Math.floor(i / per);
      throw new DataError(
        `${op}: target ${v} at row ${row} is outside [0, 1]; this loss needs labels 0/1 or probabilities.`,
        row,
      );
    }
  }
}

/**
 * Throws a `ConfigError` (option `loss`) when predictions given to a loss that expects probabilities lie outside
 * [0, 1]: the model outputs logits, and the loss needs `{ fromLogits: true }` (or the model a softmax/sigmoid).
 * NaN predictions are left to the caller (a diverged run, not a wrong loss). @internal
 */
export function checkProbabilities(op: string, yPred: Tensor): void {
  if (yPred.size === 0) return;
  const [min, max] = tf.tidy(() => tf.stack([tf.min(yPred), tf.max(yPred)]).dataSync());
  if (min < -TOLERANCE || max > 1 + TOLERANCE) {
    throw new ConfigError(
      'loss',
      `${op}: expected probabilities in [0, 1] but the predictions range from ${min} to ${max}, so the model outputs logits. ` +
        `Use ${op}({ fromLogits: true }) (losses given by name take probabilities), or end the model with a softmax or sigmoid.`,
    );
  }
}
