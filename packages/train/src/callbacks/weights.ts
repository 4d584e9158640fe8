import { tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import type { TrainableModel } from '../trainer/model.js';

/** Copies of all of a model's weights (kept: the caller disposes them). */
export function snapshotWeights(model: TrainableModel): Tensor[] {
  return model.weights.map((w) => tf.keep(tf.clone(w.variable)));
}

/** Puts snapshot values back into the model's weights. */
export function restoreSnapshot(model: TrainableModel, snapshot: readonly Tensor[]): void {
  model.weights.forEach((w, i) => w.variable.assign(snapshot[i]));
}
