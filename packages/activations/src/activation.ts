import type { Tensor } from '@nutshell/tensor';

/**
 * An activation function: a unit's non-linearity, applied element-wise (or along an axis, for softmax).
 * It takes a tensor and returns a new one the caller owns; it is differentiable with `tf.grad`.
 * @public
 */
export type ActivationFn = (x: Tensor) => Tensor;
