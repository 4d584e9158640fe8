import { ShapeError, formatShape, tf } from '@nutshell/tensor';
import { ConfigError } from '../errors.js';
import { checkIfReadable } from './lossInputs.js';
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
  /**
   * The loss of each sample, shape `[batch]`. It checks shapes but does not read values (so a training step
   * stays asynchronous): call `checkInputs` first, or call the loss itself, to have labels and ranges checked.
   */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
  /**
   * Checks the values (labels within the classes, targets and probabilities within [0, 1]), given as read back;
   * throws a `DataError` naming the row or a `ConfigError` for logits given to a loss that takes probabilities.
   * Calling the loss runs it where the backend reads synchronously; the Trainer runs it on the first batch of a
   * fit after an asynchronous read (so on every backend).
   */
  readonly checkInputs?: (yTrue: LossValues, yPred: LossValues) => void;
  /** True when the loss takes logits rather than probabilities (metrics then threshold binary outputs at 0). */
  readonly fromLogits?: boolean;
  /**
   * The reduced loss without the value checks, as a training step computes it: `reduceLoss(perSample(…))`, or
   * fewer kernels where the loss computes its reduction itself (the softmax cross-entropies: one fused kernel on
   * the CPU-side backends). Shapes are checked; the caller owns the result. Losses made by `defineLoss` have it.
   */
  readonly reduced?: (yTrue: Tensor, yPred: Tensor, options?: LossOptions) => Tensor;
}

/**
 * A tensor's values as read back from its backend, with its shape: what a loss's `checkInputs` looks at.
 * @public
 */
export interface LossValues {
  /** The values, row-major. */
  readonly values: ArrayLike<number>;
  /** The tensor's shape. */
  readonly shape: readonly number[];
}

/**
 * Makes a `Loss` from its per-sample function, adding reductions, sample weights and, when given, a check of
 * the input values that calling the loss runs first. `reduce`, when given, computes the unweighted sum or mean
 * over the batch directly (checking shapes as `perSample` does), e.g. in one fused kernel; it must equal
 * `reduceLoss(perSample(…))` to float32 rounding.
 * @public
 */
export function defineLoss(
  name: string,
  perSample: (yTrue: Tensor, yPred: Tensor) => Tensor,
  fromLogits = false,
  checkInputs?: (yTrue: LossValues, yPred: LossValues) => void,
  reduce?: (yTrue: Tensor, yPred: Tensor, reduction: 'sum' | 'mean') => Tensor,
): Loss {
  const reduced = (yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor => {
    const reduction = options.reduction ?? 'mean';
    checkReduction(name, reduction);
    if (reduce && !options.sampleWeight && reduction !== 'none') return reduce(yTrue, yPred, reduction);
    return reduceLoss(name, perSample(yTrue, yPred), options);
  };
  const call = (yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor =>
    tf.tidy(() => {
      const l = reduced(yTrue, yPred, options); // shapes first: the value checks assume them
      if (checkInputs) checkIfReadable(checkInputs, yTrue, yPred);
      return l;
    });
  return Object.assign(call, {
    lossName: name,
    perSample,
    fromLogits,
    reduced,
    ...(checkInputs ? { checkInputs } : {}),
  });
}

function checkReduction(name: string, reduction: unknown): void {
  if (reduction !== undefined && reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ConfigError(
      'reduction',
      `${name}: unknown reduction '${String(reduction)}'; expected 'mean', 'sum' or 'none'.`,
    );
  }
}

/**
 * Applies sample weights and a reduction to per-sample losses (shape `[batch]`).
 * @public
 */
export function reduceLoss(name: string, perSample: Tensor, options: LossOptions = {}): Tensor {
  const { reduction = 'mean', sampleWeight } = options;
  checkReduction(name, reduction);
  let l = perSample;
  if (sampleWeight) {
    if (sampleWeight.size !== perSample.shape[0]) {
      throw new ShapeError(
        name,
        [perSample.shape[0]],
        sampleWeight.shape,
        'sampleWeight needs one weight per sample',
      );
    }
    l = tf.mul(l, tf.reshape(sampleWeight, [perSample.shape[0]]));
  }
  if (reduction === 'none') return l;
  if (reduction === 'sum') return tf.sum(l);
  return tf.div(tf.sum(l), Math.max(1, perSample.shape[0]));
}

/**
 * `t` as float32: itself when it already is (tf.cast would still run a Cast kernel, a copy on wasm, every step).
 * @internal
 */
export function asFloat(t: Tensor): Tensor {
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}

/** Throws a ShapeError unless both tensors have the same shape. */
export function sameShape(name: string, yTrue: Tensor, yPred: Tensor): void {
  const a = yTrue.shape;
  const b = yPred.shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ShapeError(
      name,
      yPred.shape,
      yTrue.shape,
      `yTrue must have the shape of yPred ${formatShape(yPred.shape)}`,
    );
  }
}

/** Mean over every axis but the first: `[batch, ...]` → `[batch]`. A rank-1 input is one value per sample. */
export function meanPerSample(t: Tensor): Tensor {
  if (t.rank <= 1) return t;
  return tf.mean(
    t,
    Array.from({ length: t.rank - 1 }, (_, i) => i + 1),
  );
}

/** Sum over every axis but the first: `[batch, ...]` → `[batch]`. */
export function sumPerSample(t: Tensor): Tensor {
  if (t.rank <= 1) return t;
  return tf.sum(
    t,
    Array.from({ length: t.rank - 1 }, (_, i) => i + 1),
  );
}

/** Clip for logs of probabilities (the same epsilon as Keras). */
export const EPSILON = 1e-7;
