import { tf, type Tensor } from '@nutshell/tensor';

/**
 * softplus(x) = ln(1 + e^x), a smooth ReLU whose derivative is the sigmoid. Computed stably as
 * max(x, 0) + ln(1 + e^(−|x|)), so softplus(80) = 80 and softplus(−80) ≈ 1.8e−35 without overflow.
 * @public
 */
export function softplus(x: Tensor): Tensor {
  return tf.tidy(() => tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x))))));
}

/**
 * softsign(x) = x / (1 + |x|): like tanh with range (−1, 1), but approaching its asymptotes polynomially.
 * @public
 */
export function softsign(x: Tensor): Tensor {
  return tf.tidy(() => tf.div(x, tf.add(1, tf.abs(x))));
}
