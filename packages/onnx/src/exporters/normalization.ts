import type { BatchNormalization, LayerNormalization } from '@nutshell/layers';
import { float } from '../graphBuilder.js';
import type { LayerExporter } from '../exporter.js';

/**
 * BatchNormalization at inference: (x − moving mean) · 1/√(moving variance + ε) · γ + β on the feature axis,
 * as the same four elementwise steps Nutshell computes (folding them into one scale and shift would round
 * differently), so it works on any axis without moving channels first.
 * @internal
 */
export const exportBatchNormalization: LayerExporter = (ctx) => {
  const layer = ctx.layer as BatchNormalization;
  const g = ctx.graph;
  const rank = ctx.inputShapes[0].length;
  const axis = layer.axis < 0 ? layer.axis + rank : layer.axis;
  const mean = ctx.weight('moving_mean');
  const variance = ctx.weight('moving_variance');
  const n = mean.values.length;
  const bshape = Array.from({ length: rank }, (_, i) => (i === axis ? n : 1));
  const inv = variance.values.map((v) => Math.fround(1 / Math.sqrt(Math.fround(v + layer.epsilon))));
  let y = g.op(
    'Sub',
    [ctx.inputs[0], g.constant(`${layer.name}/moving_mean`, mean.values, bshape)],
    `${layer.name}/centred`,
  );
  y = g.op('Mul', [y, g.constant(`${layer.name}/inv_std`, inv, bshape)], `${layer.name}/normalised`);
  if (layer.scale)
    y = g.op(
      'Mul',
      [y, g.constant(`${layer.name}/gamma`, ctx.weight('gamma').values, bshape)],
      `${layer.name}/scaled`,
    );
  if (layer.center)
    y = g.op(
      'Add',
      [y, g.constant(`${layer.name}/beta`, ctx.weight('beta').values, bshape)],
      `${layer.name}/shifted`,
    );
  return y;
};

/** LayerNormalization over the last axis: ONNX's `LayerNormalization` (opset 17). @internal */
export const exportLayerNormalization: LayerExporter = (ctx) => {
  const layer = ctx.layer as LayerNormalization;
  const g = ctx.graph;
  const shape = ctx.inputShapes[0];
  const width = shape[shape.length - 1] as number;
  const gamma = layer.scale ? ctx.weight('gamma').values : new Float32Array(width).fill(1);
  const inputs = [ctx.inputs[0], g.constant(`${layer.name}/gamma`, gamma, [width])];
  if (layer.center) inputs.push(g.constant(`${layer.name}/beta`, ctx.weight('beta').values, [width]));
  return g.op('LayerNormalization', inputs, layer.name, { axis: -1, epsilon: float(layer.epsilon) });
};
