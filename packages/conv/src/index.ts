// @nutshell/conv: convolution, pooling, classic kernels, and the convolutional layers and networks.

// Convolution ops
export { conv2d, conv1d } from './conv2d.js';
export type { Conv1DOptions } from './conv2d.js';
export { correlate2d, convolve2d } from './correlate.js';
export type { Kernel2D, FilterOptions } from './correlate.js';
export { conv2dGeometry, CONV_ALGORITHMS } from './geometry.js';
export type { FourierTransform } from './algorithms/spectral.js';
export type { Conv2DOptions, ConvAlgorithm, ConcreteConvAlgorithm, ConvGeometry, Padding } from './geometry.js';

// Choosing an algorithm
export {
  tuneConv2d,
  autotuneDecisions,
  clearAutotuneCache,
  setAutotuneOptions,
  saveAutotuneCache,
  loadAutotuneCache,
} from './autotune.js';
export type { AutotuneDecision, AutotuneOptions } from './autotune.js';

// Pooling
export {
  maxPool2d,
  avgPool2d,
  l2Pool2d,
  globalMaxPool2d,
  globalAvgPool2d,
  maxPool1d,
  avgPool1d,
  l2Pool1d,
  globalMaxPool1d,
  globalAvgPool1d,
} from './pooling.js';
export type { Pool2DOptions, Pool1DOptions } from './pooling.js';

// Classic kernels and edge detection
export { sobelX, sobelY, prewittX, prewittY, scharrX, scharrY, laplacian, gaussian, boxBlur, sharpen, emboss } from './kernels.js';
export { edgeMagnitude } from './edges.js';
export type { EdgeOperator } from './edges.js';

// Errors
export { ConvArgumentError, UnsupportedAlgorithmError } from './errors.js';
