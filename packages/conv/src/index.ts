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

// Layers (registered with @nutshell/layers on import, so configs round-trip)
export { registerConvLayers } from './layers/register.js';
export { Conv2D } from './layers/Conv2D.js';
export type { Conv2DArgs } from './layers/Conv2D.js';
export { Conv1D } from './layers/Conv1D.js';
export type { Conv1DArgs } from './layers/Conv1D.js';
export { DepthwiseConv2D } from './layers/DepthwiseConv2D.js';
export type { DepthwiseConv2DArgs } from './layers/DepthwiseConv2D.js';
export { SeparableConv2D } from './layers/SeparableConv2D.js';
export type { SeparableConv2DArgs } from './layers/SeparableConv2D.js';
export {
  MaxPool2D,
  AvgPool2D,
  L2Pool2D,
  MaxPool1D,
  AvgPool1D,
  GlobalMaxPool2D,
  GlobalAvgPool2D,
  GlobalMaxPool1D,
  GlobalAvgPool1D,
  Pool2DLayer,
  Pool1DLayer,
  GlobalPoolLayer,
} from './layers/poolingLayers.js';
export type { Pool2DLayerArgs, Pool1DLayerArgs } from './layers/poolingLayers.js';
export { Inception } from './layers/Inception.js';
export type { InceptionArgs } from './layers/Inception.js';
export { ConvCommon } from './layers/common.js';
export { BaseConv } from './layers/baseConv.js';
export type { ConvLayerCommonArgs } from './layers/common.js';

// Networks
export { lenet } from './lenet.js';
export type { LenetOptions } from './lenet.js';
export { inceptionNet } from './inceptionNet.js';
export type { InceptionNetOptions } from './inceptionNet.js';
