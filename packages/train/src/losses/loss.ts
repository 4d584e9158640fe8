import { ShapeError, formatShape, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';

/**
 * How per-sample losses become the number that is minimised: `'mean'` sums the (weighted) per-sample losses and
 * divides by the batch size, `'sum'` sums them, `'none'` returns them per sample (shape `[batch]`).
 * @public
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of a loss call. @public */
export interface LossOptions {
  /** Default `'mean'`. */
  readonly reduction?: Reduction;
  /** One weight per sample (shape `[batch]`); a sample's loss is multiplied by its weight before reducing. */
  readonly sampleWeight?: Tensor;
}

/**
 * A loss: how far a prediction is from the truth, one number per sample. Call it as a function to get the
 * reduced loss (`loss(yTrue, yPred)` is a scalar), or use `perSample` for the unreduced `[batch]` values.
 * The caller owns the returned tensor. Losses make plain tensor ops, so they are differentiable.
 * @public
 */
export interface Loss {
  /** Reduced loss, a scalar unless `reduction` is `'none'`. */
  (yTrue: Tensor, yPred: Tensor, options?: LossOptions): Tensor;
  /** The loss's name, e.g. `'meanSquaredError'`. */
  readonly lossName: string;
  /** The loss of each sample, shape `[batch]`. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
  /** True when the loss takes logits rather than probabilities (metrics then threshold binary outputs at 0). */
  readonly fromLogits?: boolean;
}

/**
 * Makes a `Loss` from its per-sample function, adding reductions and sample weights.
 * @public
 */
export function defineLoss(name: string, perSample: (yTrue: Tensor, yPred: Tensor) => Tensor, fromLogits = false): Loss {
  const call = (yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor =>
    tf.tidy(() => reduceLoss(name, perSample(yTrue, yPred), options));
  return Object.assign(call, { lossName: name, perSample, fromLogits });
}

/**
 * Applies sample weights and a reduction to per-sample losses (shape `[batch]`).
 * @public
 */
export function reduceLoss(name: string, perSample: Tensor, options: LossOptions = {}): Tensor {
  const { reduction = 'mean', sampleWeight } = options;
  let l = perSample;
  if (sampleWeight) {
    if (sampleWeight.size !== perSample.shape[0]) {
      throw new ShapeError(name, [perSample.shape[0]], sampleWeight.shape, 'sampleWeight needs one weight per sample');
    }
    l = tf.mul(l, tf.reshape(sampleWeight, [perSample.shape[0]]));
  }
  if (reduction === 'none') return l;
  if (reduction === 'sum') return tf.sum(l);
  if (reduction === 'mean') return tf.div(tf.sum(l), Math.max(1, perSample.shape[0]));
  throw new TypeError(`${name}: unknown reduction '${String(reduction)}'; expected 'mean', 'sum' or 'none'.`);
}

/** Throws a ShapeError unless both tensors have the same shape. */
export function sameShape(name: string, yTrue: Tensor, yPred: Tensor): void {
  const a = yTrue.shape;
  const b = yPred.shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ShapeError(name, yPred.shape, yTrue.shape, `yTrue must have the shape of yPred ${formatShape(yPred.shape)}`);
  }
}

/** Mean over every axis but the first: `[batch, ...]` → `[batch]`. A rank-1 input is one value per sample. */
export function meanPerSample(t: Tensor): Tensor {
  if (t.rank <= 1) return t;
  return tf.mean(t, Array.from({ length: t.rank - 1 }, (_, i) => i + 1));
}

/** Sum over every axis but the first: `[batch, ...]` → `[batch]`. */
export function sumPerSample(t: Tensor): Tensor {
  if (t.rank <= 1) return t;
  return tf.sum(t, Array.from({ length: t.rank - 1 }, (_, i) => i + 1));
}

/** Clip for logs of probabilities (the same epsilon as Keras). */
export const EPSILON = 1e-7;
