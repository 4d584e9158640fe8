// Every Nutshell package that has no import side effects beyond the engine itself. Each name is the object its
// package exports (no copies). Where two packages export the same name for different things, the lower package in
// Nutshell's layering keeps the plain name and the other is exported with its package's name in front (see the
// README); a bare `export *` would silently drop both.

// @nutshell/backend and @nutshell/tensor are listed by name: they re-export tfjs-core's namespace as `tf`, which
// API Extractor cannot follow through `export *`. The test in index.test.ts fails when a name is missing here.
export { tf, cpuBackend, registerBackend, listBackends, getBackendPlugin, useBackend, currentBackend } from '@nutshell/backend';
export { lastBackendSelection, backendInfo, ready, NutshellError, BackendUnavailableError, UnknownBackendError, IndexRangeError, ArgumentError } from '@nutshell/backend';
export type { BackendPlugin, BackendInfo, ProbeResult, BackendSelection } from '@nutshell/backend';
export { withoutGradientTape, readsSynchronously, fillTensor, replaceKernels, hasKernels } from '@nutshell/backend';
export type { FillableArray } from '@nutshell/backend';
export { axisRanges, plainSliceAttrs, plainStridedSliceKernel, guardKernels, readSyncValues } from '@nutshell/backend';
export type { AxisRanges, HostValues } from '@nutshell/backend';
export { ADAM_UPDATE, SGD_UPDATE, adamUpdateValues, sgdUpdateValues, runFusedUpdate } from '@nutshell/backend';
export type { KernelReplacement, AdamUpdateAttrs, SgdUpdateAttrs } from '@nutshell/backend';
export { SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD, softmaxCrossEntropyValues, softmaxCrossEntropyGradValues, runSoftmaxCrossEntropy } from '@nutshell/backend';
export type { CrossEntropyReduction, CrossEntropyTargets, SoftmaxCrossEntropyAttrs } from '@nutshell/backend';
export { CATEGORICAL_ACCURACY, categoricalAccuracyValues, runCategoricalAccuracy } from '@nutshell/backend';
export { RELU_BACKPROP, reluBackpropValues, runReluBackprop } from '@nutshell/backend';
export type { ReluBackpropAttrs } from '@nutshell/backend';
export type { Tensor, Variable, DataType, Rank, TensorContainer, TensorValues, ShapeSpec, MemoryStats } from '@nutshell/tensor';
export type { RngState, RandomOptions } from '@nutshell/tensor';
export { tensor, zeros, ones, full, scalar, linspace, oneHot } from '@nutshell/tensor';
export { assertShape, assertRank, assertSameShape, assertDtype, sizeOf } from '@nutshell/tensor';
export { ShapeError, DTypeError, LeakError, ValueError, formatShape, FileError, asFileError } from '@nutshell/tensor';
export { scope, keep, dispose, memoryStats, numTensors, expectNoLeaks, read } from '@nutshell/tensor';
export { Rng, setSeed, randomUniform, randomNormal, truncatedNormal, shuffle, permutation } from '@nutshell/tensor';

export * from '@nutshell/activations';
export * from '@nutshell/layers';
export * from '@nutshell/conv';
export * from '@nutshell/recurrent';
export * from '@nutshell/onnx';
export * from '@nutshell/train';
export * from '@nutshell/datasets';
export * from '@nutshell/viz';
export * from '@nutshell/backend-conformance';

// Name clashes, resolved explicitly (oneHot: @nutshell/tensor's, above).
export { oneHot as datasetsOneHot } from '@nutshell/datasets';
export type { ModelLike } from '@nutshell/layers';
export type { ModelLike as VizModelLike } from '@nutshell/viz';
export { confusionMatrix } from '@nutshell/train';
export type { Batch } from '@nutshell/train';
export type { Batch as DatasetsBatch } from '@nutshell/datasets';
export { confusionMatrix as vizConfusionMatrix } from '@nutshell/viz';
