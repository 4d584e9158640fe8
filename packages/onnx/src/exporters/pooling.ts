// Every pooling layer of @nutshell/conv: windowed pools as ONNX pools (channels first), global pools as reductions.
import type { Pool1DLayer, Pool2DLayer } from '@nutshell/conv';
import type { LayerExportContext, LayerExporter } from '../exporter.js';
import { padAttrs, toChannelsFirst, toChannelsLast } from './layout.js';

function pool(
  ctx: LayerExportContext,
  opType: string,
  size: readonly number[],
  strides: readonly number[],
  padding: 'valid' | 'same',
  extra: Record<string, number> = {},
): string {
  const g = ctx.graph;
  const shape = ctx.inputShapes[0];
  const name = ctx.layer.name;
  const x = toChannelsFirst(g, ctx.inputs[0], shape.length, name);
  const y = g.op(opType, [x], `${name}/pool`, {
    kernel_shape: size,
    strides,
    ...padAttrs(
      shape.slice(1, -1),
      size,
      strides,
      size.map(() => 1),
      padding,
    ),
    ...extra,
  });
  return toChannelsLast(g, y, shape.length, name);
}

const pool2d =
  (opType: string, extra?: Record<string, number>): LayerExporter =>
  (ctx) => {
    const l = ctx.layer as Pool2DLayer;
    return pool(ctx, opType, l.poolSize, l.strides, l.padding, extra);
  };

const pool1d =
  (opType: string, extra?: Record<string, number>): LayerExporter =>
  (ctx) => {
    const l = ctx.layer as Pool1DLayer;
    return pool(ctx, opType, [l.poolSize], [l.strides], l.padding, extra);
  };

/** MaxPool2D. @internal */
export const exportMaxPool2D = pool2d('MaxPool');
/** AvgPool2D: padded cells are not counted, as in TensorFlow's 'same' average pool. @internal */
export const exportAvgPool2D = pool2d('AveragePool', { count_include_pad: 0 });
/** L2Pool2D: √(Σ x²) over each window, ONNX `LpPool` with p = 2 (zero padding adds nothing). @internal */
export const exportL2Pool2D = pool2d('LpPool', { p: 2 });
/** MaxPool1D. @internal */
export const exportMaxPool1D = pool1d('MaxPool');
/** AvgPool1D. @internal */
export const exportAvgPool1D = pool1d('AveragePool', { count_include_pad: 0 });

const reduce =
  (opType: string, axes: number[]): LayerExporter =>
  (ctx) =>
    ctx.graph.op(opType, [ctx.inputs[0]], ctx.layer.name, { axes, keepdims: 0 });

/** GlobalMaxPool2D: the maximum over height and width. @internal */
export const exportGlobalMaxPool2D = reduce('ReduceMax', [1, 2]);
/** GlobalAvgPool2D: the mean over height and width. @internal */
export const exportGlobalAvgPool2D = reduce('ReduceMean', [1, 2]);
/** GlobalMaxPool1D. @internal */
export const exportGlobalMaxPool1D = reduce('ReduceMax', [1]);
/** GlobalAvgPool1D. @internal */
export const exportGlobalAvgPool1D = reduce('ReduceMean', [1]);
