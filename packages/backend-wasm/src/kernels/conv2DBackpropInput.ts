// Conv2DBackpropInput for wasm, on XNNPACK: tfjs-backend-wasm 4.22's own kernel is a plain C++ loop that
// takes ~10× longer than the forward convolution and dominated a LeNet training step.
//
// The input gradient is the "full" correlation of dy with the filter rotated by 180° and its channel axes
// swapped: dx[b, r, c, ci] = Σ dy[b, oh, ow, co] · W[kh, kw, ci, co] over r = oh·s + kh − top. With dy
// spread out by the stride (zeros between rows and columns) and padded by KH−1−top above, it is a
// stride-1 convolution, which runs on wasm's own Conv2D kernel. Paddings larger than the filter (never
// produced by 'same'/'valid') fall back to tfjs's kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, assertChannelsLast, heapF32, release, runWasmKernel } from './heap.js';
import { col2imSimd } from './col2imSimd.js';
import { MAX_ROUTE_FLOATS, isUnitValid } from './unitValidConv.js';

type Shape4 = [number, number, number, number];

/**
 * dx for a stride-1, unpadded ('valid') convolution with CI a multiple of 4, as a matmul and a col2im: cols =
 * dy · Wᵀ (`[B·OH·OW, CO]` · `[CO, KH·KW·CI]`, on XNNPACK through this package's BatchMatMul, whose packed operand
 * is the small filter), then each output position's KH·KW·CI values added into dx (col2imSimd.ts). The conv path
 * below computes the same sums over a zero-padded dy, (OH+2(KH−1))·(OW+2(KW−1)) / (OH·OW) times the work: 2.25× on
 * LeNet's second layer. Undefined where the case does not fit (the caller takes the conv path).
 */
function viaCols(
  backend: ReturnType<typeof asWasm>,
  dy: TensorInfo,
  filter: TensorInfo,
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
  const taps = KH * KW * CI;
  if (
    !isUnitValid(info) ||
    CI % 4 !== 0 ||
    B * OH * OW === 0 ||
    CO === 0 ||
    B * OH * OW * taps > MAX_ROUTE_FLOATS
  )
    return undefined;
  const col2im = col2imSimd(backend);
  if (!col2im) return undefined;
  const cols = runWasmKernel(
    backend,
    tf.BatchMatMul,
    {
      a: { dataId: dy.dataId, shape: [1, B * OH * OW, CO], dtype: 'float32' },
      b: { dataId: filter.dataId, shape: [1, taps, CO], dtype: 'float32' },
    },
    { transposeA: false, transposeB: true },
  ); // [1, B·OH·OW, KH·KW·CI]
  const dx = backend.makeOutput([B, H, W, CI], 'float32');
  const out = heapF32(backend, dx);
  out.fill(0);
  const from = heapF32(backend, cols).byteOffset;
  for (let n = 0; n < B; n++) {
    col2im(
      from + n * OH * OW * taps * 4,
      out.byteOffset + n * H * W * CI * 4,
      OH,
      OW,
      KH,
      KW,
      CI / 4,
      W * CI * 4,
    );
  }
  release(backend, cols);
  return dx;
}

export function makeConv2DBackpropInput(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { inputs, backend: b, attrs } = args;
    const backend = asWasm(b);
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      inputShape: Shape4;
    };
    assertChannelsLast('Conv2DBackpropInput', dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as Shape4,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const {
      batchSize: B,
      inHeight: H,
      inWidth: W,
      inChannels: CI,
      outChannels: CO,
      filterHeight: KH,
      filterWidth: KW,
    } = info;
    const { outHeight: OH, outWidth: OW, strideHeight: SH, strideWidth: SW } = info;
    if (dy.dtype === 'float32' && filter.dtype === 'float32') {
      const dx = viaCols(backend, dy, filter, info);
      if (dx) return dx;
    }
    const padTop = KH - 1 - info.padInfo.top;
    const padLeft = KW - 1 - info.padInfo.left;
    const padBottom = H + info.padInfo.top - (OH - 1) * SH - 1;
    const padRight = W + info.padInfo.left - (OW - 1) * SW - 1;
    if (Math.min(padTop, padLeft, padBottom, padRight) < 0) {
      if (!fallback)
        throw new Error('wasm Conv2DBackpropInput: padding larger than the filter is not supported.');
      return fallback(args);
    }

    // The filter, rotated by 180° with its channel axes swapped: [KH, KW, CO, CI].
    const rotated = backend.makeOutput([KH, KW, CO, CI], 'float32');
    {
      const src = heapF32(backend, filter);
      const dst = heapF32(backend, rotated);
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          const from = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CI * CO;
          const to = (kh * KW + kw) * CO * CI;
          for (let ci = 0; ci < CI; ci++)
            for (let co = 0; co < CO; co++) dst[to + co * CI + ci] = src[from + ci * CO + co];
        }
      }
    }

    // dy spread out by the stride (a no-op for stride 1).
    let spread = dy;
    if (SH > 1 || SW > 1) {
      const SHt = (OH - 1) * SH + 1;
      const SWt = (OW - 1) * SW + 1;
      spread = backend.makeOutput([B, SHt, SWt, CO], 'float32');
      const src = heapF32(backend, dy);
      const dst = heapF32(backend, spread);
      dst.fill(0);
      for (let n = 0; n < B; n++) {
        for (let oh = 0; oh < OH; oh++) {
          for (let ow = 0; ow < OW; ow++) {
            const from = ((n * OH + oh) * OW + ow) * CO;
            dst.set(src.subarray(from, from + CO), ((n * SHt + oh * SH) * SWt + ow * SW) * CO);
          }
        }
      }
    }

    const dx = runWasmKernel(
      backend,
      tf.Conv2D,
      { x: spread, filter: rotated },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [padTop, padBottom],
          [padLeft, padRight],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      },
    );
    release(backend, rotated);
    if (spread !== dy) release(backend, spread);
    return dx;
  };
}

/** Nutshell's Conv2DBackpropInput kernel for the 'wasm' backend (falls back to tfjs's for unusual padding). */
export function conv2DBackpropInputConfig(fallback: KernelFunc | undefined): KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'wasm',
    kernelFunc: makeConv2DBackpropInput(fallback),
  };
}
