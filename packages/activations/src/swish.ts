import { tf, type Tensor } from '@nutshell/tensor';
import { softplus } from './softplus.js';

/**
 * Swish, x·σ(βx) (default β = 1, when it is also called SiLU): a smooth, non-monotonic ReLU found by
 * automated search (Ramachandran et al. 2017).
 * @public
 */
export function swish(x: Tensor, beta = 1): Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(beta === 1 ? x : tf.mul(beta, x))));
}

/**
 * The sigmoid linear unit, silu(x) = x·σ(x) (Swish with β = 1).
 * @public
 */
export function silu(x: Tensor): Tensor {
  return swish(x, 1);
}

/**
 * Mish, x·tanh(softplus(x)) (Misra 2019): smooth, unbounded above, bounded below at about −0.31.
 * @public
 */
export function mish(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(x, tf.tanh(softplus(x))));
}
