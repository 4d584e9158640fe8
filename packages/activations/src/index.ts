// @nutshell/activations: units and their activation functions.

// The type of an activation
export type { ActivationFn } from './activation.js';

// Sigmoid family
export { sigmoid } from './sigmoid.js';
export { tanh } from './tanh.js';
export { hardSigmoid, hardSwish, linear } from './hard.js';
export { softsign, softplus } from './softplus.js';

// ReLU family
export { relu, relu6, leakyRelu } from './relu.js';
export { elu, selu, SELU_ALPHA, SELU_SCALE } from './elu.js';
export { gelu, geluTanh } from './gelu.js';
export type { GeluOptions } from './gelu.js';
export { swish, silu, mish } from './swish.js';

// Over an axis
export { softmax, logSoftmax } from './softmax.js';
export { maxout } from './maxout.js';

// By name, and for plots
export { getActivation, registerActivation, activationNames, canonicalActivationName, UnknownActivationError } from './registry.js';
export type { ActivationName } from './registry.js';
export { sample } from './sample.js';
export type { ActivationPoint, SampleOptions } from './sample.js';
