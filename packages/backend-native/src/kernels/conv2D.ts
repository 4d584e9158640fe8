// Conv2D, FusedConv2D and DepthwiseConv2dNative on ONNX Runtime's Conv (MLAS).
//
// tfjs is channels-last (NHWC, filter [kh, kw, in, out]); ONNX's Conv is channels-first (NCHW, weights [out, in/group,
// kh, kw]). The graph transposes x in and the result out (ONNX Runtime's Transpose, in native code); the filter, which
// is small, is rearranged here. A depthwise convolution is a Conv with one group per input channel, whose output
// channel ci·multiplier + m is tfjs's order. FusedConv2D's bias is the Conv's input B, and a relu or leaky relu is a
// node after it, which ONNX Runtime fuses into the Conv (MLAS applies both to each output tile as it is written); the
// other activations are applied here. Anything else runs on the wasm kernel: NCHW data, PReLU fusions, biases that
// are not one value or one per channel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runGraph } from '../onnxRuntime.js';
import type { SmallGraph } from '../onnxModel.js';
import { applyBiasAndActivation, canFuse } from './activation.js';
import type { Activation } from './activation.js';
import { columnPairBias, columnPairsFit, columnPairWeights } from './columnPairs.js';
import { filterOIHWBiBo, filterOIHWBo, NCHWC, nchwcBlockSize, nchwcInput, padded } from './nchwc.js';
import { outputFilledBy, valuesOf } from './tensorData.js';

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** Whether the data format is channels-last (the only one these kernels take). */
export const channelsLast = (dataFormat: unknown): boolean =>
  dataFormat == null || dataFormat === 'NHWC' || dataFormat === 'channelsLast';

/** The filter [kh, kw, in, out] as ONNX Conv/ConvTranspose weights [out, in, kh, kw]. */
export function filterToOihw(f: Float32Array, [KH, KW, CI, CO]: Shape4): Float32Array {
  const out = new Float32Array(f.length);
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++)
      for (let ci = 0; ci < CI; ci++) {
        const from = ((kh * KW + kw) * CI + ci) * CO;
        for (let co = 0; co < CO; co++) out[((co * CI + ci) * KH + kh) * KW + kw] = f[from + co];
      }
  return out;
}

/** The depthwise filter [kh, kw, in, multiplier] as grouped ONNX weights [in·multiplier, 1, kh, kw]. */
export function depthwiseFilterToOihw(f: Float32Array, [KH, KW, CI, CM]: Shape4): Float32Array {
  const out = new Float32Array(f.length);
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++)
      for (let ci = 0; ci < CI; ci++)
        for (let m = 0; m < CM; m++)
          out[((ci * CM + m) * KH + kh) * KW + kw] = f[((kh * KW + kw) * CI + ci) * CM + m];
  return out;
}

/** An activation the graph applies after the Conv (ONNX Runtime fuses it into the Conv). */
export type GraphActivation = { readonly op: 'Relu' } | { readonly op: 'LeakyRelu'; readonly alpha: number };

/** The activation as a graph node where ONNX has the same operator; undefined for linear and for the rest. */
export function graphActivation(
  activation: Activation | undefined,
  leakyreluAlpha = 0.2,
): GraphActivation | undefined {
  if (activation === 'relu') return { op: 'Relu' };
  if (activation === 'leakyrelu') return { op: 'LeakyRelu', alpha: leakyreluAlpha };
  return undefined;
}

/** x [N,H,W,C] (and bias B [M]) → Conv → activation → [N,OH,OW,M], all in ONNX Runtime. */
function convGraph(
  attributes: Record<string, number | number[]>,
  withBias: boolean,
  activation: GraphActivation | undefined,
): () => SmallGraph {
  return () => ({
    nodes: [
      { opType: 'Transpose', inputs: ['x0'], outputs: ['xt'], attributes: { perm: [0, 3, 1, 2] } },
      { opType: 'Conv', inputs: withBias ? ['xt', 'x1', 'x2'] : ['xt', 'x1'], outputs: ['yt'], attributes },
      ...(activation
        ? [
            activation.op === 'LeakyRelu'
              ? {
                  opType: 'LeakyRelu',
                  inputs: ['yt'],
                  outputs: ['ya'],
                  attributes: { alpha: activation.alpha },
                  floats: ['alpha'],
                }
              : { opType: activation.op, inputs: ['yt'], outputs: ['ya'] },
          ]
        : []),
      {
        opType: 'Transpose',
        inputs: [activation ? 'ya' : 'yt'],
        outputs: ['y'],
        attributes: { perm: [0, 2, 3, 1] },
      },
    ],
    inputRanks: withBias ? [4, 4, 1] : [4, 4],
    outputRank: 4,
  });
}

/**
 * x [N,H,W,C] → NCHWc Conv (its bias and relu applied by the kernel) → [N,OH,OW,M], for one group: the input is
 * blocked straight from NHWC where C fills whole blocks, else transposed to NCHW (C < block); the output is unblocked
 * straight to NHWC, dropping the padded channels.
 */
function nchwcConvGraph(
  attributes: Record<string, number | number[]>,
  C: number,
  M: number,
  block: number,
  withBias: boolean,
  relu: boolean,
): SmallGraph {
  return {
    nodes: [
      nchwcInput('x0', 'xt', C, block),
      {
        opType: 'Conv',
        domain: NCHWC,
        inputs: withBias ? ['xt', 'x1', 'x2'] : ['xt', 'x1'],
        outputs: ['yc'],
        attributes: relu ? { ...attributes, activation: 'Relu' } : attributes,
      },
      {
        opType: 'ReorderOutput',
        domain: NCHWC,
        inputs: ['yc'],
        outputs: ['y'],
        attributes: { channels_last: 1, channels: M },
      },
    ],
    inputRanks: withBias ? [4, 4, 1] : [4, 4],
    outputRank: 4,
  };
}

/**
 * A channels-last convolution on the native library into `out`; `weights` are ONNX [out, in/group, kh, kw], `bias`
 * one value per output channel, `activation` applied after it.
 */
export function nativeConv(
  x: Float32Array,
  xShape: Shape4,
  weights: Float32Array,
  out: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  group: number,
  bias?: Float32Array,
  activation?: GraphActivation,
): void {
  const { top, left, bottom, right } = info.padInfo;
  const attributes = {
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    pads: [top, left, bottom, right],
    group,
  };
  const act = activation
    ? ` ${activation.op}${activation.op === 'LeakyRelu' ? ` ${activation.alpha}` : ''}`
    : '';
  const key = `Conv ${JSON.stringify(attributes)}${bias ? ' bias' : ''}${act}`;
  const wShape = [info.outChannels, info.inChannels / group, info.filterHeight, info.filterWidth];
  if (out.length === 0) return;
  const work = out.length * info.filterHeight * info.filterWidth * (info.inChannels / group);
  const block = group === 1 && activation?.op !== 'LeakyRelu' ? nchwcBlockSize() : 0;
  const C = info.inChannels;
  if (columnPairsFit(info, group, block)) {
    // One grey channel and few filters: two output columns a pixel (columnPairs.ts).
    const [N, H, W] = xShape;
    const M2 = 2 * info.outChannels;
    const Mp = Math.ceil(M2 / block) * block;
    const KP = (info.filterWidth + 1) / 2;
    const pairs = columnPairWeights(weights, info.outChannels, info.filterHeight, info.filterWidth);
    runGraph(
      `NCHWc ${block} column pairs ${key} ${M2}`,
      () => nchwcConvGraph(attributes, 2, M2, block, bias !== undefined, activation !== undefined),
      [
        { data: x, shape: [N, H, W / 2, 2] },
        {
          data: filterOIHWBo(pairs, M2, 2, info.filterHeight * KP, block),
          shape: [Mp, 2, info.filterHeight, KP],
        },
        ...(bias ? [{ data: padded(columnPairBias(bias), Mp), shape: [Mp] }] : []),
      ],
      { data: out, shape: [N, info.outHeight, info.outWidth / 2, M2] },
      work,
    );
    return;
  }
  if (block > 0 && (C < block || C % block === 0)) {
    const M = info.outChannels;
    const Mp = Math.ceil(M / block) * block;
    const taps = info.filterHeight * info.filterWidth;
    const filter =
      C < block ? filterOIHWBo(weights, M, C, taps, block) : filterOIHWBiBo(weights, M, C, taps, block);
    runGraph(
      `NCHWc ${block} ${C < block ? 'NCHW' : 'blocked'} ${key} ${M}`,
      () => nchwcConvGraph(attributes, C, M, block, bias !== undefined, activation !== undefined),
      [
        { data: x, shape: xShape },
        { data: filter, shape: [Mp, C, info.filterHeight, info.filterWidth] },
        ...(bias ? [{ data: padded(bias, Mp), shape: [Mp] }] : []),
      ],
      { data: out, shape: info.outShape },
      work,
    );
    return;
  }
  runGraph(
    key,
    convGraph(attributes, bias !== undefined, activation),
    [
      { data: x, shape: xShape },
      { data: weights, shape: wShape },
      ...(bias ? [{ data: bias, shape: [info.outChannels] }] : []),
    ],
    { data: out, shape: info.outShape },
    work,
  );
}

/** The fused kernel's bias as ONNX Conv's B: one value per output channel (a single value is repeated). */
function convBias(values: Float32Array, channels: number): Float32Array {
  return values.length === channels ? values : new Float32Array(channels).fill(values[0]);
}

interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat?: string;
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: Activation;
  leakyreluAlpha?: number;
}

function convKernel(fallback: KernelFunc, kind: 'conv' | 'fused' | 'depthwise'): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<
      string,
      TensorInfo | undefined
    > & { x: TensorInfo; filter: TensorInfo };
    const a = args.attrs as unknown as ConvAttrs;
    const fShape = filter.shape as Shape4;
    const outChannels = kind === 'depthwise' ? fShape[2] * fShape[3] : fShape[3];
    if (
      x.dtype !== 'float32' ||
      filter.dtype !== 'float32' ||
      x.shape.length !== 4 ||
      fShape.length !== 4 ||
      !channelsLast(a.dataFormat) ||
      preluActivationWeights ||
      (kind === 'fused' && !canFuse(a.activation, bias, outChannels))
    )
      return fallback(args);
    const xShape = x.shape as Shape4;
    if (x.shape[3] !== fShape[2]) return fallback(args); // the wasm kernel throws the shape error
    const info = tf.backend_util.computeConv2DInfo(
      xShape,
      fShape,
      a.strides,
      a.dilations ?? 1,
      a.pad,
      a.dimRoundingMode,
      kind === 'depthwise',
    );
    return outputFilledBy(backend, info.outShape, (out) => {
      const f = valuesOf(backend, filter);
      const weights = kind === 'depthwise' ? depthwiseFilterToOihw(f, fShape) : filterToOihw(f, fShape);
      const b = kind === 'fused' && bias ? convBias(valuesOf(backend, bias), outChannels) : undefined;
      const inGraph = kind === 'fused' ? graphActivation(a.activation, a.leakyreluAlpha) : undefined;
      nativeConv(
        valuesOf(backend, x),
        xShape,
        weights,
        out,
        info,
        kind === 'depthwise' ? fShape[2] : 1,
        b,
        inGraph,
      );
      // relu6, elu and sigmoid: here, after the Conv (linear, relu and leaky relu are done).
      if (kind === 'fused' && !inGraph)
        applyBiasAndActivation(out, undefined, a.activation, a.leakyreluAlpha);
    });
  };
}

/** Conv2D for 'native'; `fallback` is the wasm kernel. */
export function conv2DConfig(fallback: KernelFunc): KernelConfig {
  return { kernelName: tf.Conv2D, backendName: 'native', kernelFunc: convKernel(fallback, 'conv') };
}

/** FusedConv2D (conv + bias + activation) for 'native'; `fallback` is the wasm kernel. */
export function fusedConv2DConfig(fallback: KernelFunc): KernelConfig {
  return { kernelName: tf.FusedConv2D, backendName: 'native', kernelFunc: convKernel(fallback, 'fused') };
}

/** DepthwiseConv2dNative for 'native'; `fallback` is the wasm kernel. */
export function depthwiseConv2dNativeConfig(fallback: KernelFunc): KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNative,
    backendName: 'native',
    kernelFunc: convKernel(fallback, 'depthwise'),
  };
}
