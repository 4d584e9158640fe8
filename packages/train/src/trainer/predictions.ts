import { ShapeError, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { ConfigError } from '../errors.js';
import type { TrainableModel } from './model.js';

/** Options of `predictProba` and `predictClasses`. @public */
export interface PredictClassOptions {
  /**
   * Whether the model outputs logits (default true: every Nutshell builder does, and the losses take
   * `fromLogits: true`); false when its last layer already applies a sigmoid or softmax.
   */
  readonly fromLogits?: boolean;
  /** Samples per forward pass (default 256). */
  readonly batchSize?: number;
}

/** The model's outputs for `x` in inference mode, `batchSize` samples at a time (the caller owns the result). */
export function predictBatched(model: TrainableModel, x: Tensor, batchSize = 256, what = 'predict'): Tensor {
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new ConfigError('batchSize', `${what}: batchSize must be a positive integer, got ${batchSize}.`);
  if (x.rank === 0) throw new ShapeError(what, '[samples, ...]', x.shape, 'x needs a sample dimension');
  return tf.tidy(() => {
    const n = x.shape[0];
    if (n <= batchSize) return model.apply(x, { training: false });
    const outs: Tensor[] = [];
    for (let s = 0; s < n; s += batchSize)
      outs.push(model.apply(tf.slice(x, s, Math.min(batchSize, n - s)), { training: false }));
    return tf.concat(outs, 0);
  });
}

/**
 * Class probabilities of a classifier, shape `[samples, classes]`: softmax of a multi-output model's logits, or
 * `[1 − p, p]` with p = sigmoid(logit) for a one-output (binary) model, so column c is always the probability of
 * class c. The caller owns the result.
 * @example
 * ```ts
 * const p = await predictProba(model, x); // [n, 10], each row sums to 1
 * ```
 * @public
 */
export async function predictProba(
  model: TrainableModel,
  x: Tensor,
  options: PredictClassOptions = {},
): Promise<Tensor> {
  const fromLogits = options.fromLogits ?? true;
  const out = predictBatched(model, x, options.batchSize, 'predictProba');
  return tf.tidy(() => {
    const n = out.shape[0];
    const outputs = out.size / Math.max(1, n);
    const flat = tf.reshape(out, [n, outputs]);
    out.dispose();
    if (outputs === 1) {
      const p = fromLogits ? tf.sigmoid(flat) : flat;
      return tf.concat([tf.sub(1, p), p], 1);
    }
    return fromLogits ? tf.softmax(flat) : flat;
  });
}

/**
 * The predicted class of each sample: the arg-max of a multi-output model, or 1 where a one-output model's
 * probability exceeds 0.5 (a positive logit). Read back as plain numbers.
 * @example
 * ```ts
 * const classes = await predictClasses(model, x); // Int32Array [3, 0, 7, …]
 * ```
 * @public
 */
export async function predictClasses(
  model: TrainableModel,
  x: Tensor,
  options: PredictClassOptions = {},
): Promise<Int32Array> {
  const fromLogits = options.fromLogits ?? true;
  const out = predictBatched(model, x, options.batchSize, 'predictClasses');
  const cls = tf.tidy(() => {
    const n = out.shape[0];
    const outputs = out.size / Math.max(1, n);
    const flat = tf.reshape(out, [n, outputs]);
    out.dispose();
    if (outputs === 1) return tf.cast(tf.greater(tf.reshape(flat, [n]), fromLogits ? 0 : 0.5), 'int32');
    return tf.argMax(flat, -1);
  });
  const values = new Int32Array(await cls.data());
  cls.dispose();
  return values;
}
