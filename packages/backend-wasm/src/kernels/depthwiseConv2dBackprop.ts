// Depthwise-convolution gradients for wasm (tfjs-backend-wasm 4.22 registers neither, so depthwise
// convolutions could not train on wasm). Both loop over tensors in the wasm heap with channels innermost,
// in the data's own memory order; dilation and any padding are supported.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, heapF32 } from './heap.js';

interface DepthwiseAttrs {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type Shape4 = [number, number, number, number];

function depthwiseInfo(xShape: number[], filterShape: number[], a: DepthwiseAttrs) {
  return tf.backend_util.computeConv2DInfo(xShape as Shape4, filterShape as Shape4, a.strides, a.dilations, a.pad, a.dimRoundingMode, true);
}

/** dx[b, r, c, ci] = Σ filter[kh, kw, ci, m] · dy[b, oh, ow, ci·M + m] over the windows that read (r, c). */
const backpropInput: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as DepthwiseAttrs & { inputShape: Shape4 };
  const info = depthwiseInfo(a.inputShape, filter.shape, a);
  const dxInfo = backend.makeOutput(a.inputShape, 'float32');
  const dx = heapF32(backend, dxInfo);
  const f = heapF32(backend, filter);
  const g = heapF32(backend, dy);
  dx.fill(0);
  scan(info, (xBase, gBase, fBase, CI, M) => {
    for (let ci = 0; ci < CI; ci++) {
      let acc = 0;
      for (let m = 0; m < M; m++) acc += f[fBase + ci * M + m] * g[gBase + ci * M + m];
      dx[xBase + ci] += acc;
    }
  });
  return dxInfo;
};

/** dW[kh, kw, ci, m] = Σ_{b, oh, ow} x[b, oh·s + kh·d − pad, …, ci] · dy[b, oh, ow, ci·M + m]. */
const backpropFilter: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as DepthwiseAttrs & { filterShape: Shape4 };
  const info = depthwiseInfo(x.shape, a.filterShape, a);
  const dWInfo = backend.makeOutput(a.filterShape, 'float32');
  const dW = heapF32(backend, dWInfo);
  const xs = heapF32(backend, x);
  const g = heapF32(backend, dy);
  dW.fill(0);
  scan(info, (xBase, gBase, fBase, CI, M) => {
    for (let ci = 0; ci < CI; ci++) {
      const xv = xs[xBase + ci];
      for (let m = 0; m < M; m++) dW[fBase + ci * M + m] += xv * g[gBase + ci * M + m];
    }
  });
  return dWInfo;
};

/**
 * Visits every (output position, filter tap) pair whose input position lies inside the image, passing the
 * flat offsets of that input pixel, output pixel and filter tap (each at channel 0).
 */
function scan(
  info: tf.backend_util.Conv2DInfo,
  visit: (xBase: number, gBase: number, fBase: number, CI: number, M: number) => void,
): void {
  const { batchSize, inHeight, inWidth, inChannels: CI, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const M = outChannels / CI;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const gBase = ((n * outHeight + oh) * outWidth + ow) * outChannels;
        for (let kh = 0; kh < filterHeight; kh++) {
          const r = oh * strideHeight - top + kh * dilationHeight;
          if (r < 0 || r >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const c = ow * strideWidth - left + kw * dilationWidth;
            if (c < 0 || c >= inWidth) continue;
            visit(((n * inHeight + r) * inWidth + c) * CI, gBase, (kh * filterWidth + kw) * outChannels, CI, M);
          }
        }
      }
    }
  }
}

/** Nutshell's DepthwiseConv2dNativeBackpropInput kernel for the 'wasm' backend. */
export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: backpropInput,
};

/** Nutshell's DepthwiseConv2dNativeBackpropFilter kernel for the 'wasm' backend. */
export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: backpropFilter,
};
