// Conv2DBackpropFilter for wasm (tfjs-backend-wasm 4.22 has none, so conv2d could not train on wasm).
//
// The filter gradient is itself a convolution: dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·s + kh − pad, …, ci] ·
// dy[b,oh,ow,co]. With the input's channel and batch axes swapped (ci becomes the batch, b the channel) and
// dy laid out as a filter [oh, ow, b, co], it is a stride-1 convolution dilated by the forward stride, which
// runs on wasm's own XNNPACK Conv2D kernel. Transposes and the final crop stay in wasm memory.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, assertChannelsLast, heapF32, release, runWasmKernel } from './heap.js';

const conv2DBackpropFilter: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  assertChannelsLast('Conv2DBackpropFilter', dataFormat);
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const { filterHeight: KH, filterWidth: KW, inChannels: CI, outChannels: CO, inHeight: H, inWidth: W } = info;
  const { outHeight: OH, outWidth: OW, strideHeight: SH, strideWidth: SW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Pad bottom/right so the result is exactly KH×KW where possible; XNNPACK takes no negative padding, so
  // rows the forward pass never reached are cropped below instead.
  const bottom = Math.max(0, KH + (OH - 1) * SH - top - H);
  const right = Math.max(0, KW + (OW - 1) * SW - left - W);

  const xT = runWasmKernel(backend, tf.Transpose, { x }, { perm: [3, 1, 2, 0] }); // [CI, H, W, B]
  const dyT = runWasmKernel(backend, tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] }); // [OH, OW, B, CO]
  const conv = runWasmKernel(
    backend,
    tf.Conv2D,
    { x: xT, filter: dyT },
    { strides: [1, 1], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: [SH, SW] },
  ); // [CI, ≥KH, ≥KW, CO]
  release(backend, xT, dyT);

  const dW = backend.makeOutput([KH, KW, CI, CO], 'float32');
  const src = heapF32(backend, conv);
  const dst = heapF32(backend, dW);
  const [, CH, CW] = conv.shape;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      for (let ci = 0; ci < CI; ci++) {
        const from = ((ci * CH + kh) * CW + kw) * CO;
        dst.set(src.subarray(from, from + CO), ((kh * KW + kw) * CI + ci) * CO);
      }
    }
  }
  release(backend, conv);
  return dW;
};

/** Nutshell's Conv2DBackpropFilter kernel for the 'wasm' backend. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
