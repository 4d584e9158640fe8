import { tf, type Tensor } from '@nutshell/tensor';

/** Options of {@link gelu}. @public */
export interface GeluOptions {
  /** `'none'` (default) is the exact form with the error function; `'tanh'` the approximation of Hendrycks & Gimpel. */
  readonly approximate?: 'none' | 'tanh';
}

/**
 * The Gaussian error linear unit, gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2)), where Φ is the standard normal CDF:
 * the input weighted by how likely a standard normal variable is to be below it (used by BERT and GPT).
 * `{ approximate: 'tanh' }` gives ½x(1 + tanh(√(2/π)(x + 0.044715x³))), within 1e−3 of the exact form.
 * @public
 */
export function gelu(x: Tensor, opts: GeluOptions = {}): Tensor {
  return opts.approximate === 'tanh' ? geluTanh(x) : tf.tidy(() => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/**
 * GELU's tanh approximation, ½x(1 + tanh(√(2/π)(x + 0.044715x³))). See {@link gelu}.
 * @public
 */
export function geluTanh(x: Tensor): Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}
