import { tf, type Tensor } from '@nutshell/tensor';

/**
 * The hard sigmoid, relu6(x + 3) / 6: a piecewise-linear sigmoid, 0 below −3, 1 above 3, slope 1/6 between
 * (the definition of PyTorch and Keras 3; Keras 2 used slope 0.2). Sub-gradients at the kinks (inherited from
 * relu6): 0 at x = −3 and 1/6 at x = 3.
 * @public
 */
export function hardSigmoid(x: Tensor): Tensor {
  return tf.tidy(() => tf.div(tf.relu6(tf.add(x, 3)), 6));
}

/**
 * The hard swish, x·relu6(x + 3) / 6 (MobileNetV3): a cheap piecewise approximation of swish.
 * @public
 */
export function hardSwish(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(x, hardSigmoid(x)));
}

/**
 * The identity, linear(x) = x: "no activation". A stack of layers with only linear units is itself one linear
 * layer. Returns a new tensor (a clone), so the caller always owns the result.
 * @public
 */
export function linear(x: Tensor): Tensor {
  return tf.clone(x);
}
