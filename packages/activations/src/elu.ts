import { tf, type Tensor } from '@nutshell/tensor';

/**
 * The exponential linear unit: x for positive x and α(e^x − 1) otherwise (default α = 1). Smooth for α = 1; its
 * negative side saturates at −α. At x = 0 the gradient used is α (the left derivative).
 *
 * Written as relu(x) + α(e^min(x, 0) − 1) so that a large positive x never evaluates e^x (whose gradient would be
 * 0 · ∞ = NaN in float32 past x ≈ 88).
 * @public
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  return tf.tidy(() => tf.add(tf.relu(x), tf.mul(alpha, tf.sub(tf.exp(tf.minimum(x, 0)), 1))));
}

/** SELU's α, from Klambauer et al. 2017, "Self-Normalizing Neural Networks". @public */
export const SELU_ALPHA = 1.6732632423543772;
/** SELU's scale λ, from Klambauer et al. 2017. @public */
export const SELU_SCALE = 1.0507009873554805;

/**
 * The scaled ELU, λ·elu(x, α) with the constants λ ≈ 1.0507 and α ≈ 1.6733 that keep activations near zero
 * mean and unit variance through a deep stack (with LeCun-normal initialisation).
 * @public
 */
export function selu(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(SELU_SCALE, elu(x, SELU_ALPHA)));
}
