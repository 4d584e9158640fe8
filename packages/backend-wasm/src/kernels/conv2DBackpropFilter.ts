// Conv2DBackpropFilter for wasm (tfjs-backend-wasm 4.22 has none, so conv2d could not train on wasm).
//
// The filter gradient is itself a convolution: dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·s + kh − pad, …, ci] ·
// dy[b,oh,ow,co]. With the input's channel and batch axes swapped (ci becomes the batch, b the channel) and
// dy laid out as a filter [oh, ow, b, co], it is a stride-1 convolution dilated by the forward stride, which
// runs on wasm's own XNNPACK Conv2D kernel. Transposes and the final crop stay in wasm memory. Stride-1 'valid'
// convolutions (LeNet's) take a faster route first: one matmul over the input's patch rows (`viaPatchRows`).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, assertChannelsLast, heapF32, release, runActiveKernel, runWasmKernel } from './heap.js';
import { patchRowsSimd } from './patchRowsSimd.js';
import { filterGradientOnPatchRows } from './unitValidConv.js';

/**
 * dW for a stride-1, unpadded ('valid') convolution with OW a multiple of 4, as one matmul: dW (`[KH·KW·CI, CO]`) =
 * Pᵀ · dy, where row (kh, kw, ci) of Pᵀ holds the input values tap (kh, kw) of channel ci meets at every output
 * position (copied by patchRowsSimd.ts from x transposed to [CI, B, H, W]). On XNNPACK through this package's
 * BatchMatMul the packed operand is dy, as it is the conv path's filter; what this saves is the conv path's
 * transposes of dy and of the result, and tfjs's copy of the filter before packing. Undefined where the case does
 * not fit (the caller takes the conv path).
 */
function viaPatchRows(
  backend: ReturnType<typeof asWasm>,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo | undefined {
  const {
    batchSize: B,
    inHeight: H,
    inWidth: W,
    inChannels: CI,
    outChannels: CO,
    filterHeight: KH,
    filterWidth: KW,
  } = info;
  const { outHeight: OH, outWidth: OW } = info;
  if (!filterGradientOnPatchRows(info)) return undefined;
  const positions = B * OH * OW;
  const taps = KH * KW * CI;
  const copyRows = patchRowsSimd(backend);
  if (!copyRows) return undefined;
  // One channel: x's own layout is already [CI, B, H, W].
  const xT = CI === 1 ? x : runWasmKernel(backend, tf.Transpose, { x }, { perm: [3, 0, 1, 2] });
  const patches = backend.makeOutput([1, taps, positions], 'float32');
  const from = heapF32(backend, xT).byteOffset;
  const to = heapF32(backend, patches).byteOffset;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const row = (kh * KW + kw) * CI;
      copyRows(from + (kh * W + kw) * 4, to + row * positions * 4, CI * B, OH, OW / 4, W * 4, H * W * 4);
    }
  }
  if (xT !== x) release(backend, xT);
  // The active backend's product: on native, ONNX Runtime's GEMM for a product this size (W3's first layer, 25 ×
  // 36,864 · 36,864 × 8, ran at 6.5 G multiply-adds a second in wasm's one-pass loop).
  const dW = runActiveKernel(
    backend,
    tf.BatchMatMul,
    { a: patches, b: { dataId: dy.dataId, shape: [1, positions, CO], dtype: 'float32' } },
    { transposeA: false, transposeB: false },
  ); // [1, KH·KW·CI, CO]
  release(backend, patches);
  return { dataId: dW.dataId, shape: [KH, KW, CI, CO], dtype: 'float32' };
}

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
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (x.dtype === 'float32' && dy.dtype === 'float32') {
    const dW = viaPatchRows(backend, x, dy, info);
    if (dW) return dW;
  }
  const {
    filterHeight: KH,
    filterWidth: KW,
    inChannels: CI,
    outChannels: CO,
    inHeight: H,
    inWidth: W,
  } = info;
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
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [SH, SW],
    },
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
