// Which convolution gradients take the matmul routes (conv2DBackpropFilter.ts's patch rows, conv2DBackpropInput.ts's
// cols + col2im): stride 1, no dilation, no padding, and a buffer of at most 32 MB. One description, read by both
// kernels and by @nutshell/backend-native, which defers to the patch-row route where it applies.
import type * as tf from '@tensorflow/tfjs-core';

/** The largest patch or cols buffer (floats) a matmul route may allocate: 32 MB; bigger cases take the conv path. */
export const MAX_ROUTE_FLOATS = 8 * 1024 * 1024;

/** Whether a convolution is stride 1, dilation 1 and unpadded ('valid'). */
export function isUnitValid(info: tf.backend_util.Conv2DInfo): boolean {
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info;
  return (
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    H === OH + KH - 1 &&
    W === OW + KW - 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1
  );
}

/**
 * Whether wasm's Conv2DBackpropFilter runs a float32 convolution of this geometry as one matmul over patch rows
 * (where wasm SIMD is available): stride 1, 'valid', an output width that is a multiple of 4, a non-empty result
 * and at most 8 M patch values (32 MB).
 * @public
 */
export function filterGradientOnPatchRows(info: tf.backend_util.Conv2DInfo): boolean {
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  return (
    isUnitValid(info) &&
    info.outWidth % 4 === 0 &&
    positions > 0 &&
    taps > 0 &&
    info.outChannels > 0 &&
    taps * positions <= MAX_ROUTE_FLOATS
  );
}
