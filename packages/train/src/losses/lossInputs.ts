/**
 * @file Value checks a loss runs on its inputs before computing (labels in range, probabilities in [0, 1]).
 *
 * A cross-entropy given a label outside its classes, or logits where it expects probabilities, still returns a
 * number — a wrong one, which trains a model to chance without a word. These checks work on values already read
 * back (`LossValues`), so that who reads decides how: a loss called as a function (`loss(yTrue, yPred)`) reads
 * synchronously where the backend can (`readsSynchronously()`), and the Trainer reads the first batch of a fit
 * asynchronously, which works on every backend (WebGPU in Node included). `perSample` reads nothing, so a training
 * step stays asynchronous.
 */
import { readsSynchronously, type Tensor } from '@nutshell/tensor';
import { ConfigError, DataError } from '../errors.js';
import type { LossValues } from './loss.js';

// Softmax and sigmoid round to values a few ulps outside [0, 1].
const TOLERANCE = 1e-5;

/** Throws a `DataError` naming the row unless every label is an integer class index in [0, classes). @internal */
export function checkClassIndices(op: string, yTrue: LossValues, classes: number): void {
  const values = yTrue.values;
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
export function checkUnitTargets(op: string, yTrue: LossValues): void {
  const values = yTrue.values;
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
export function checkProbabilities(op: string, yPred: LossValues): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < yPred.values.length; i++) {
    const v = yPred.values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return; // empty, or all NaN
  if (min < -TOLERANCE || max > 1 + TOLERANCE) {
    throw new ConfigError(
      'loss',
      `${op}: expected probabilities in [0, 1] but the predictions range from ${min} to ${max}, so the model outputs logits. ` +
        `Use ${op}({ fromLogits: true }) (losses given by name take probabilities), or end the model with a softmax or sigmoid.`,
    );
  }
}

/** A tensor's values and shape, read synchronously. @internal */
function readSync(t: Tensor): LossValues {
  return { values: t.dataSync(), shape: t.shape };
}

/**
 * Runs `check` on the two tensors' values when the current backend reads synchronously; otherwise does nothing
 * (on WebGPU in Node a synchronous read throws): the Trainer then checks the first batch asynchronously. @internal
 */
export function checkIfReadable(
  check: (yTrue: LossValues, yPred: LossValues) => void,
  yTrue: Tensor,
  yPred: Tensor,
): void {
  if (readsSynchronously()) check(readSync(yTrue), readSync(yPred));
}

/** Reads both tensors asynchronously and runs `check` on their values (every backend). @internal */
export async function checkAfterReading(
  check: (yTrue: LossValues, yPred: LossValues) => void,
  yTrue: Tensor,
  yPred: Tensor,
): Promise<void> {
  const [t, p] = await Promise.all([yTrue.data(), yPred.data()]);
  check({ values: t, shape: yTrue.shape }, { values: p, shape: yPred.shape });
}
