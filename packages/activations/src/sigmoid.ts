import { tf, type Tensor } from '@nutshell/tensor';

/**
 * The logistic sigmoid, σ(x) = 1 / (1 + e^(−x)): squashes any real number into (0, 1), so it reads as a
 * probability. Its derivative is σ(x)(1 − σ(x)), at most 1/4, which is why deep stacks of sigmoids learn slowly.
 * Stable in both tails: σ(−80) ≈ 1.8e−35 and σ(80) = 1 with gradient 0, never NaN.
 * @public
 */
export function sigmoid(x: Tensor): Tensor {
  return tf.sigmoid(x);
}
