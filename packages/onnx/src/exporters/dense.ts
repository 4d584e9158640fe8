import type { Dense, Maxout } from '@nutshell/layers';
import type { LayerExporter } from '../exporter.js';
import { activateOrFail } from './activation.js';

/** Dense: `MatMul` (any rank, like Nutshell's) + `Add` bias + activation. @internal */
export const exportDense: LayerExporter = (ctx) => {
  const layer = ctx.layer as Dense;
  const g = ctx.graph;
  const k = ctx.weight('kernel');
  let y = g.op(
    'MatMul',
    [ctx.inputs[0], g.constant(`${layer.name}/kernel`, k.values, k.shape)],
    `${layer.name}/matmul`,
  );
  if (layer.useBias) {
    const b = ctx.weight('bias');
    y = g.op('Add', [y, g.constant(`${layer.name}/bias`, b.values, b.shape)], `${layer.name}/biased`);
  }
  return activateOrFail(ctx, y, layer.activation);
};

/** Maxout: the affine map, then the maximum over each unit's `pieces` consecutive columns. @internal */
export const exportMaxout: LayerExporter = (ctx) => {
  const layer = ctx.layer as Maxout;
  const g = ctx.graph;
  const k = ctx.weight('kernel');
  let z = g.op(
    'MatMul',
    [ctx.inputs[0], g.constant(`${layer.name}/kernel`, k.values, k.shape)],
    `${layer.name}/matmul`,
  );
  if (layer.useBias) {
    const b = ctx.weight('bias');
    z = g.op('Add', [z, g.constant(`${layer.name}/bias`, b.values, b.shape)], `${layer.name}/biased`);
  }
  const grouped = g.op(
    'Reshape',
    [z, g.ints(`${layer.name}/groups`, [0, layer.units, layer.pieces])],
    `${layer.name}/grouped`,
  );
  return g.op('ReduceMax', [grouped], layer.name, { axes: [-1], keepdims: 0 });
};
