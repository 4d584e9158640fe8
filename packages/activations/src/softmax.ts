import { tf, ShapeError, type Tensor } from '@nutshell/tensor';

type SaveFn = (ts: Tensor[]) => void;

function normaliseAxis(op: string, x: Tensor, axis: number): number {
  const rank = x.shape.length;
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw new ShapeError(op, `an axis in [${-rank}, ${rank - 1}]`, x.shape, `axis ${axis}`);
  }
  return a;
}

/**
 * The softmax along `axis` (default the last): exp(xᵢ) / Σⱼ exp(xⱼ), turning scores (logits) into a probability
 * distribution. Computed as exp(x − logsumexp(x)) so that logits of ±80 (or ±1e4) give exact 0s and 1s, never
 * NaN or Inf. Its gradient is y ⊙ (dy − Σ dy ⊙ y), written out with `tf.customGrad` so it stays finite too.
 * @public
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const a = normaliseAxis('softmax', x, axis);
  const f = tf.customGrad(((input: Tensor, save: SaveFn) => {
    const y = tf.tidy(() => tf.exp(tf.sub(input, tf.logSumExp(input, a, true))));
    save([y]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) =>
        tf.tidy(() => tf.mul(saved[0], tf.sub(dy, tf.sum(tf.mul(dy, saved[0]), a, true)))),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as Tensor;
}

/**
 * The log of the softmax along `axis` (default the last): x − logsumexp(x). Use it (not log(softmax(x))) for
 * cross-entropy: it never takes the log of 0. Gradient: dy − softmax(x) · Σ dy.
 * @public
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const a = normaliseAxis('logSoftmax', x, axis);
  const f = tf.customGrad(((input: Tensor, save: SaveFn) => {
    const y = tf.tidy(() => tf.sub(input, tf.logSumExp(input, a, true)));
    save([y]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => tf.tidy(() => tf.sub(dy, tf.mul(tf.exp(saved[0]), tf.sum(dy, a, true)))),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as Tensor;
}
