// Conv1D, Conv2D, DepthwiseConv2D, SeparableConv2D as ONNX `Conv` (channels first, weights [out, in/groups, ...k]).
import type { Conv1D, Conv2D, DepthwiseConv2D, SeparableConv2D } from '@nutshell/conv';
import type { LayerExportContext, LayerExporter, WeightValue } from '../exporter.js';
import { activateOrFail } from './activation.js';
import { padAttrs, toChannelsFirst, toChannelsLast, transposeValues } from './layout.js';

interface ConvSpec {
  readonly kernel: WeightValue; // Nutshell layout [...k, in / groups, out]
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly groups: number;
  readonly padding: 'valid' | 'same';
  readonly bias?: WeightValue;
}

/** A `Conv` node on channels-first `x` with spatial sizes `spatial`. */
function conv(
  ctx: LayerExportContext,
  x: string,
  spatial: readonly (number | null)[],
  spec: ConvSpec,
  base: string,
): string {
  const g = ctx.graph;
  const r = spec.kernel.shape.length;
  // [...k, in, out] → [out, in, ...k]
  const w = transposeValues(spec.kernel.values, spec.kernel.shape, [
    r - 1,
    r - 2,
    ...Array.from({ length: r - 2 }, (_, i) => i),
  ]);
  const ksize = spec.kernel.shape.slice(0, r - 2);
  const inputs = [x, g.constant(`${base}/W`, w.values, w.shape)];
  if (spec.bias) inputs.push(g.constant(`${base}/B`, spec.bias.values, spec.bias.shape));
  return g.op('Conv', inputs, base, {
    kernel_shape: ksize,
    strides: spec.strides,
    dilations: spec.dilations,
    group: spec.groups,
    ...padAttrs(spatial, ksize, spec.strides, spec.dilations, spec.padding),
  });
}

/** Wraps a channels-first computation in transposes from and back to channels last, then activates. */
function channelsFirst(
  ctx: LayerExportContext,
  activation: string,
  body: (x: string, spatial: readonly (number | null)[]) => string,
): string {
  const shape = ctx.inputShapes[0];
  const name = ctx.layer.name;
  const y = body(toChannelsFirst(ctx.graph, ctx.inputs[0], shape.length, name), shape.slice(1, -1));
  return activateOrFail(ctx, toChannelsLast(ctx.graph, y, shape.length, name), activation);
}

const biasOf = (ctx: LayerExportContext, useBias: boolean) => (useBias ? ctx.weight('bias') : undefined);

/** Conv2D with strides, padding, dilation and groups. @internal */
export const exportConv2D: LayerExporter = (ctx) => {
  const l = ctx.layer as Conv2D;
  return channelsFirst(ctx, l.common.activation, (x, spatial) =>
    conv(
      ctx,
      x,
      spatial,
      {
        kernel: ctx.weight('kernel'),
        strides: l.strides,
        dilations: l.dilationRate,
        groups: l.groups,
        padding: l.common.padding,
        bias: biasOf(ctx, l.common.useBias),
      },
      `${l.name}/conv`,
    ),
  );
};

/** Conv1D: a one-dimensional `Conv` over `[N, C, L]`. @internal */
export const exportConv1D: LayerExporter = (ctx) => {
  const l = ctx.layer as Conv1D;
  return channelsFirst(ctx, l.common.activation, (x, spatial) =>
    conv(
      ctx,
      x,
      spatial,
      {
        kernel: ctx.weight('kernel'),
        strides: [l.strides],
        dilations: [l.dilationRate],
        groups: l.groups,
        padding: l.common.padding,
        bias: biasOf(ctx, l.common.useBias),
      },
      `${l.name}/conv`,
    ),
  );
};

// [kh, kw, c, m] → [kh, kw, 1, c·m]: the grouped layout Nutshell computes with (same row-major data).
function depthwiseKernel(w: WeightValue): WeightValue {
  const [kh, kw, c, m] = w.shape;
  return { values: w.values, shape: [kh, kw, 1, c * m] };
}

/** DepthwiseConv2D: a grouped `Conv` with one group per input channel. @internal */
export const exportDepthwiseConv2D: LayerExporter = (ctx) => {
  const l = ctx.layer as DepthwiseConv2D;
  const k = ctx.weight('depthwise_kernel');
  return channelsFirst(ctx, l.common.activation, (x, spatial) =>
    conv(
      ctx,
      x,
      spatial,
      {
        kernel: depthwiseKernel(k),
        strides: l.strides,
        dilations: l.dilationRate,
        groups: k.shape[2],
        padding: l.common.padding,
        bias: biasOf(ctx, l.common.useBias),
      },
      `${l.name}/depthwise`,
    ),
  );
};

/** SeparableConv2D: the depthwise `Conv`, then a 1×1 `Conv` with the bias. @internal */
export const exportSeparableConv2D: LayerExporter = (ctx) => {
  const l = ctx.layer as SeparableConv2D;
  const k = ctx.weight('depthwise_kernel');
  return channelsFirst(ctx, l.common.activation, (x, spatial) => {
    const mid = conv(
      ctx,
      x,
      spatial,
      {
        kernel: depthwiseKernel(k),
        strides: l.strides,
        dilations: l.dilationRate,
        groups: k.shape[2],
        padding: l.common.padding,
      },
      `${l.name}/depthwise`,
    );
    return conv(
      ctx,
      mid,
      spatial.map(() => null),
      {
        kernel: ctx.weight('pointwise_kernel'),
        strides: [1, 1],
        dilations: [1, 1],
        groups: 1,
        padding: 'valid',
        bias: biasOf(ctx, l.common.useBias),
      },
      `${l.name}/pointwise`,
    );
  });
};
