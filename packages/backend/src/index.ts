// @nutshell/backend: the seam between Nutshell and its tensor engine.

export { tf } from './tfjs.js';

// The plugin interface
export type { BackendPlugin, BackendInfo, ProbeResult } from './plugin.js';
export { cpuBackend } from './cpu.js';

// Registry and selection
export {
  registerBackend,
  listBackends,
  getBackendPlugin,
  useBackend,
  currentBackend,
  lastBackendSelection,
  backendInfo,
  ready,
} from './registry.js';
export type { BackendSelection } from './registry.js';

// The engine seam: what higher packages may ask of the engine, by name
export { withoutGradientTape } from './withoutGradientTape.js';
export { readsSynchronously } from './readsSynchronously.js';
export { fillTensor } from './fillTensor.js';
export type { FillableArray } from './fillTensor.js';
export { replaceKernels, hasKernels } from './replaceKernels.js';
export type { KernelReplacement } from './replaceKernels.js';
export { axisRanges, plainSliceAttrs, plainStridedSliceKernel } from './stridedSlice.js';
export { guardKernels, readSyncValues } from './kernelGuards.js';
export type { HostValues } from './kernelGuards.js';
export type { AxisRanges } from './stridedSlice.js';
export {
  ADAM_UPDATE,
  SGD_UPDATE,
  adamUpdateValues,
  sgdUpdateValues,
  runFusedUpdate,
} from './fusedOptimizers.js';
export type { AdamUpdateAttrs, SgdUpdateAttrs } from './fusedOptimizers.js';
export {
  SOFTMAX_CROSS_ENTROPY,
  SOFTMAX_CROSS_ENTROPY_GRAD,
  softmaxCrossEntropyValues,
  softmaxCrossEntropyGradValues,
  runSoftmaxCrossEntropy,
} from './fusedLosses.js';
export type { CrossEntropyReduction, CrossEntropyTargets, SoftmaxCrossEntropyAttrs } from './fusedLosses.js';
export { CATEGORICAL_ACCURACY, categoricalAccuracyValues, runCategoricalAccuracy } from './fusedMetrics.js';
export { RELU_BACKPROP, reluBackpropValues, runReluBackprop } from './reluBackprop.js';
export type { ReluBackpropAttrs } from './reluBackprop.js';

// Errors
export {
  NutshellError,
  BackendUnavailableError,
  UnknownBackendError,
  IndexRangeError,
  ArgumentError,
} from './errors.js';
