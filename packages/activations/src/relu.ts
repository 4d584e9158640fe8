import { tf, type Tensor } from '@nutshell/tensor';

/**
 * The rectified linear unit, relu(x) = max(0, x). Its derivative is 0 for negative x and 1 for positive x; at the kink
 * x = 0 Nutshell uses the sub-gradient **0** (as TensorFlow and PyTorch do), so a unit that sits exactly at 0
 * receives no gradient.
 * @public
 */
export function relu(x: Tensor): Tensor {
  return tf.relu(x);
}

/**
 * relu6(x) = min(max(0, x), 6), the ReLU capped at 6 (used by MobileNet). Sub-gradients at the kinks:
 * 0 at x = 0 and 1 at x = 6.
 * @public
 */
export function relu6(x: Tensor): Tensor {
  return tf.relu6(x);
}

/**
 * The leaky ReLU, x for positive x and αx otherwise (default α = 0.01 as in PyTorch; Keras uses 0.3), so negative
 * inputs keep a small gradient. At x = 0 the sub-gradient is α.
 * @public
 */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  return tf.leakyRelu(x, alpha);
}
