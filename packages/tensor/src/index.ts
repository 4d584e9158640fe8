// @nutshell/tensor: what every higher package uses to make, check and free tensors.

// The engine (tfjs-core's namespace, with the CPU backend and all gradients registered)
export { tf, useBackend, ready, backendInfo, NutshellError, BackendUnavailableError } from '@nutshell/backend';
// What higher packages may ask of the engine, by name (never tf.engine() internals)
export { withoutGradientTape, readsSynchronously, fillTensor, hasKernels, runReluBackprop } from '@nutshell/backend';
export type { FillableArray } from '@nutshell/backend';
export type { Tensor, Variable, DataType, Rank, TensorContainer } from '@tensorflow/tfjs-core';

// Creation
export { tensor, zeros, ones, full, scalar, linspace, oneHot } from './create.js';
export type { TensorValues } from './create.js';

// Shapes and dtypes
export { assertShape, assertRank, assertSameShape, assertDtype, sizeOf } from './shape.js';
export { ShapeError, DTypeError, LeakError, ValueError, formatShape } from './errors.js';
export type { ShapeSpec } from './errors.js';
export { FileError, asFileError } from './fileError.js';

// Memory
export { scope, keep, dispose, memoryStats, numTensors, expectNoLeaks, read } from './memory.js';
export type { MemoryStats } from './memory.js';

// Seeded randomness
export { Rng, setSeed, randomUniform, randomNormal, truncatedNormal, shuffle, permutation } from './random.js';
export type { RngState, RandomOptions } from './random.js';
