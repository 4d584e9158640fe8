import { tf, type Tensor } from '@nutshell/tensor';

/**
 * The hyperbolic tangent, tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)) = 2σ(2x) − 1: a zero-centred sigmoid with
 * range (−1, 1) and derivative 1 − tanh²(x).
 * @public
 */
export function tanh(x: Tensor): Tensor {
  return tf.tanh(x);
}
