// The gradients of a 2-D convolution on ONNX Runtime: Conv2DBackpropInput, Conv2DBackpropFilter,
// DepthwiseConv2dNativeBackpropInput and DepthwiseConv2dNativeBackpropFilter. ONNX has inference operators only, so each gradient is written as one:
//
// - input gradient: dx is the transposed convolution of dy with the same weights (ONNX ConvTranspose, weights
//   [out, in/group, kh, kw], the layout of the forward Conv's); `pads` are the forward pads and `output_padding`
//   the rows and columns the forward pass never reached (ONNX allows 0 ≤ output_padding < stride).
// - filter gradient: dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·s + kh − top, ow·s + kw − left, ci] · dy[b,oh,ow,co].
//   With x viewed as [ci, b, h, w] (batch as channels) and dy as weights [co, b, oh, ow], that is a Conv whose
//   dilation is the forward stride: its output [ci, co, ≥kh, ≥kw] is cropped and laid out as [kh, kw, ci, co] here.
//
// Layout changes of x and dy run in the graph (ONNX Runtime's Transpose); the small filter is rearranged here.
// Anything else (NCHW data, output padding ONNX does not allow) runs on the wasm kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { filterGradientOnPatchRows } from '@nutshell/backend-wasm';
import { runGraph } from '../onnxRuntime.js';
import { channelsLast, depthwiseFilterToOihw, filterToOihw } from './conv2D.js';
import { NCHWC, nchwcBlockSize } from './nchwc.js';
import { outputFilledBy, tensorFrom, valuesOf } from './tensorData.js';
import type { SmallGraph } from '../onnxModel.js';

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

interface BackpropAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat?: string;
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape?: Shape4;
  filterShape?: Shape4;
}

function backpropInputKernel(fallback: KernelFunc, depthwise: boolean): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = args.attrs as unknown as BackpropAttrs;
    const fShape = filter.shape as Shape4;
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32' || !channelsLast(a.dataFormat) || !a.inputShape)
      return fallback(args);
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape,
      fShape,
      a.strides,
      a.dilations ?? 1,
      a.pad,
      a.dimRoundingMode,
      depthwise,
    );
    const { top, left, bottom, right } = info.padInfo;
    const { strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
    // What ConvTranspose would produce without output padding, and the rows/columns it lacks.
    const extraH =
      info.inHeight - ((info.outHeight - 1) * SH + (info.filterHeight - 1) * DH + 1 - top - bottom);
    const extraW = info.inWidth - ((info.outWidth - 1) * SW + (info.filterWidth - 1) * DW + 1 - left - right);
    const sameShape = tf.util.arraysEqual(dy.shape, info.outShape);
    if (!sameShape || extraH < 0 || extraW < 0 || extraH >= Math.max(SH, DH) || extraW >= Math.max(SW, DW))
      return fallback(args);
    if (tf.util.sizeFromShape(a.inputShape) === 0 || tf.util.sizeFromShape(dy.shape) === 0)
      return tensorFrom(backend, a.inputShape, new Float32Array(tf.util.sizeFromShape(a.inputShape)));
    const group = depthwise ? info.inChannels : 1;
    const attributes = {
      strides: [SH, SW],
      dilations: [DH, DW],
      pads: [top, left, bottom, right],
      output_padding: [extraH, extraW],
      group,
    };
    const dxShape = a.inputShape;
    return outputFilledBy(backend, dxShape, (out) => {
      const f = valuesOf(backend, filter);
      const weights = depthwise ? depthwiseFilterToOihw(f, fShape) : filterToOihw(f, fShape);
      const wShape = [info.outChannels, info.inChannels / group, info.filterHeight, info.filterWidth];
      runGraph(
        `ConvTranspose ${JSON.stringify(attributes)}`,
        () => ({
          nodes: [
            { opType: 'Transpose', inputs: ['x0'], outputs: ['dyt'], attributes: { perm: [0, 3, 1, 2] } },
            { opType: 'ConvTranspose', inputs: ['dyt', 'x1'], outputs: ['dxt'], attributes },
            { opType: 'Transpose', inputs: ['dxt'], outputs: ['y'], attributes: { perm: [0, 2, 3, 1] } },
          ],
          inputRanks: [4, 4],
          outputRank: 4,
        }),
        [
          { data: valuesOf(backend, dy), shape: dy.shape },
          { data: weights, shape: wShape },
        ],
        { data: out, shape: dxShape },
        tf.util.sizeFromShape(dy.shape) * info.filterHeight * info.filterWidth * (info.inChannels / group),
      );
    });
  };
}

function backpropFilterKernel(fallback: KernelFunc, wasm: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const a = args.attrs as unknown as BackpropAttrs;
    if (
      x.dtype !== 'float32' ||
      dy.dtype !== 'float32' ||
      !channelsLast(a.dataFormat) ||
      !a.filterShape ||
      x.shape.length !== 4
    )
      return fallback(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      a.filterShape,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
    );
    const {
      filterHeight: KH,
      filterWidth: KW,
      inChannels: CI,
      outChannels: CO,
      inHeight: H,
      inWidth: W,
    } = info;
    const { outHeight: OH, outWidth: OW, strideHeight: SH, strideWidth: SW } = info;
    if (!tf.util.arraysEqual(dy.shape, info.outShape)) return fallback(args);
    if (tf.util.sizeFromShape(x.shape) === 0 || tf.util.sizeFromShape(dy.shape) === 0)
      return tensorFrom(backend, a.filterShape, new Float32Array(KH * KW * CI * CO));
    const block = nchwcBlockSize();
    const nchwc = block > 0 && x.shape[0] % block === 0 && CO % block === 0;
    // wasm's patch-row matmul beats the plain Conv graph where it applies: on W3's conv 1 (8 output channels, too
    // few for an NCHWc block) 0.55 against 0.80 ms, min of 40 calls (2026-12-06 02:17 UTC, load 4.7). With one input
    // channel it also beats the NCHWc graph (whose Conv then has a 24×24 filter and a 5×5 output): the main job's conv
    // 1, [32,28,28,1] → 16, 0.22–0.31 against 0.36–0.45 ms (min of 150–250 calls, interleaved, 08:14 UTC, load 9–11).
    if ((!nchwc || CI === 1) && filterGradientOnPatchRows(info)) return wasm(args);
    const dW = new Float32Array(KH * KW * CI * CO);
    const { top, left } = info.padInfo;
    // Pad bottom/right so that the result is exactly kh × kw where the forward pass reached every filter row;
    // otherwise (never negative pads) the extra rows are cropped below.
    const bottom = Math.max(0, KH + (OH - 1) * SH - top - H);
    const right = Math.max(0, KW + (OW - 1) * SW - left - W);
    const attributes = { strides: [1, 1], dilations: [SH, SW], pads: [top, left, bottom, right] };
    const out = runGraph(
      nchwc
        ? `NCHWc ${block} ConvBackpropFilter ${JSON.stringify(attributes)} ${OH} ${OW} ${CO}`
        : `ConvBackpropFilter ${JSON.stringify(attributes)}`,
      nchwc
        ? () => nchwcFilterGradientGraph(attributes, block, OH, OW, CO)
        : () => ({
            nodes: [
              { opType: 'Transpose', inputs: ['x0'], outputs: ['xt'], attributes: { perm: [3, 0, 1, 2] } },
              { opType: 'Transpose', inputs: ['x1'], outputs: ['dyt'], attributes: { perm: [3, 0, 1, 2] } },
              { opType: 'Conv', inputs: ['xt', 'dyt'], outputs: ['y'], attributes },
            ],
            inputRanks: [4, 4],
            outputRank: 4,
          }),
      [
        { data: valuesOf(backend, x), shape: x.shape },
        { data: valuesOf(backend, dy), shape: dy.shape },
      ],
      undefined,
      tf.util.sizeFromShape(dy.shape) * KH * KW * CI,
    );
    // [ci, co, CH, CW] → [kh, kw, ci, co], cropped to kh × kw.
    const [, , CH, CW] = out.dims;
    const src = out.data;
    for (let ci = 0; ci < CI; ci++)
      for (let co = 0; co < CO; co++)
        for (let kh = 0; kh < KH; kh++)
          for (let kw = 0; kw < KW; kw++)
            dW[((kh * KW + kw) * CI + ci) * CO + co] = src[((ci * CO + co) * CH + kh) * CW + kw];
    return tensorFrom(backend, a.filterShape, dW);
  };
}

/**
 * The filter gradient's Conv on ONNX Runtime's NCHWc kernel (see nchwc.ts), where the batch (this Conv's input
 * channels) and the output channels fill whole blocks: x as [ci, b, h, w], blocked; dy as the blocked filter
 * [co/block, b/block, oh, ow, block (b), block (co)], rearranged in the graph (Reshape, Transpose, Reshape); the result
 * unblocked to [ci, co, ≥kh, ≥kw] as the plain graph gives it. Measured 1.4–1.9× faster than the plain Conv on the
 * LeNet layers it takes (README, Speed).
 */
function nchwcFilterGradientGraph(
  attributes: Record<string, number[]>,
  block: number,
  OH: number,
  OW: number,
  CO: number,
): SmallGraph {
  return {
    nodes: [
      { opType: 'Transpose', inputs: ['x0'], outputs: ['xt'], attributes: { perm: [3, 0, 1, 2] } },
      {
        opType: 'ReorderInput',
        domain: NCHWC,
        inputs: ['xt'],
        outputs: ['xb'],
        attributes: { channels_last: 0 },
      },
      { opType: 'Reshape', inputs: ['x1', 'split'], outputs: ['dy6'] },
      { opType: 'Transpose', inputs: ['dy6'], outputs: ['dyb'], attributes: { perm: [4, 0, 2, 3, 1, 5] } },
      { opType: 'Reshape', inputs: ['dyb', 'filter'], outputs: ['w'] },
      {
        opType: 'Conv',
        domain: NCHWC,
        inputs: ['xb', 'w'],
        outputs: ['yc'],
        attributes: { ...attributes, group: 1 },
      },
      {
        opType: 'ReorderOutput',
        domain: NCHWC,
        inputs: ['yc'],
        outputs: ['y'],
        attributes: { channels_last: 0, channels: CO },
      },
    ],
    // dy [b, oh, ow, co] → [b/block, block, oh, ow, co/block, block]; the transposed blocks → [co, b, oh, ow].
    constants: { split: [-1, block, OH, OW, CO / block, block], filter: [CO, -1, OH, OW] },
    inputRanks: [4, 4],
    outputRank: 4,
  };
}

/**
 * DepthwiseConv2dNativeBackpropFilter: dW[kh,kw,ci,m] = Σ_{b,oh,ow} x[b, oh·s + kh·d − top, ow·s + kw·d − left, ci] ·
 * dy[b, oh, ow, ci·M + m]. As one grouped Conv: x viewed as one image of ci·b channels ([ci, b, h, w], batch inside
 * each channel's group), dy as weights [ci·M, b, oh, ow] (b input channels per group), ci groups; the Conv's stride
 * is the forward dilation and its dilation the forward stride. Its output [1, ci·M, ≥kh, ≥kw] is cropped and laid
 * out as [kh, kw, ci, M] here.
 */
function depthwiseBackpropFilterKernel(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const a = args.attrs as unknown as BackpropAttrs;
    if (
      x.dtype !== 'float32' ||
      dy.dtype !== 'float32' ||
      !channelsLast(a.dataFormat) ||
      !a.filterShape ||
      x.shape.length !== 4 ||
      a.filterShape.length !== 4 ||
      a.filterShape[2] !== x.shape[3]
    )
      return fallback(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      a.filterShape,
      a.strides,
      a.dilations ?? 1,
      a.pad,
      a.dimRoundingMode,
      true,
    );
    const { filterHeight: KH, filterWidth: KW, inChannels: CI, inHeight: H, inWidth: W } = info;
    const { outHeight: OH, outWidth: OW, strideHeight: SH, strideWidth: SW } = info;
    const { dilationHeight: DH, dilationWidth: DW } = info;
    const CM = a.filterShape[3];
    if (!tf.util.arraysEqual(dy.shape, info.outShape)) return fallback(args);
    const dW = new Float32Array(KH * KW * CI * CM);
    if (tf.util.sizeFromShape(x.shape) === 0 || tf.util.sizeFromShape(dy.shape) === 0)
      return tensorFrom(backend, a.filterShape, dW);
    const { top, left } = info.padInfo;
    // Enough bottom/right padding that the Conv yields at least kh × kw outputs (extra ones are cropped below).
    const bottom = Math.max(0, (KH - 1) * DH + (OH - 1) * SH + 1 - top - H);
    const right = Math.max(0, (KW - 1) * DW + (OW - 1) * SW + 1 - left - W);
    const attributes = {
      strides: [DH, DW],
      dilations: [SH, SW],
      pads: [top, left, bottom, right],
      group: CI,
    };
    const out = runGraph(
      `DepthwiseBackpropFilter ${JSON.stringify(attributes)}`,
      () => ({
        nodes: [
          { opType: 'Transpose', inputs: ['x0'], outputs: ['xt'], attributes: { perm: [3, 0, 1, 2] } },
          { opType: 'Reshape', inputs: ['xt', 'oneImage'], outputs: ['xg'] },
          { opType: 'Transpose', inputs: ['x1'], outputs: ['dyt'], attributes: { perm: [3, 0, 1, 2] } },
          { opType: 'Conv', inputs: ['xg', 'dyt'], outputs: ['y'], attributes },
        ],
        // [ci, b, h, w] → [1, ci·b, h, w] (0 keeps that axis's size).
        constants: { oneImage: [1, -1, 0, 0] },
        inputRanks: [4, 4],
        outputRank: 4,
      }),
      [
        { data: valuesOf(backend, x), shape: x.shape },
        { data: valuesOf(backend, dy), shape: dy.shape },
      ],
      undefined,
      tf.util.sizeFromShape(dy.shape) * KH * KW,
    );
    // [1, ci·M, CH, CW] → [kh, kw, ci, M], cropped to kh × kw.
    const [, , CH, CW] = out.dims;
    const src = out.data;
    for (let c = 0; c < CI * CM; c++)
      for (let kh = 0; kh < KH; kh++)
        for (let kw = 0; kw < KW; kw++) dW[(kh * KW + kw) * CI * CM + c] = src[(c * CH + kh) * CW + kw];
    return tensorFrom(backend, a.filterShape, dW);
  };
}

/** Conv2DBackpropInput for 'native'; `fallback` is the wasm kernel. */
export function conv2DBackpropInputConfig(fallback: KernelFunc): KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'native',
    kernelFunc: backpropInputKernel(fallback, false),
  };
}

/** DepthwiseConv2dNativeBackpropInput for 'native'; `fallback` is the wasm kernel. */
export function depthwiseConv2dNativeBackpropInputConfig(fallback: KernelFunc): KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName: 'native',
    kernelFunc: backpropInputKernel(fallback, true),
  };
}

/** Conv2DBackpropFilter for 'native'; `fallback` is the wasm kernel. */
export function conv2DBackpropFilterConfig(fallback: KernelFunc, wasm: KernelFunc): KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'native',
    kernelFunc: backpropFilterKernel(fallback, wasm),
  };
}

/** DepthwiseConv2dNativeBackpropFilter for 'native'; `fallback` is the wasm kernel. */
export function depthwiseConv2dNativeBackpropFilterConfig(fallback: KernelFunc): KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName: 'native',
    kernelFunc: depthwiseBackpropFilterKernel(fallback),
  };
}
