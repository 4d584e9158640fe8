import type { LayerExporter } from '../exporter.js';

/** Flatten: `[N, ...] → [N, product]`, row-major over channels-last values, as Nutshell flattens. @internal */
export const exportFlatten: LayerExporter = (ctx) =>
  ctx.graph.op('Flatten', [ctx.inputs[0]], ctx.layer.name, { axis: 1 });

/** Reshape to the layer's (resolved) target shape; the batch dimension is copied (`0`). @internal */
export const exportReshape: LayerExporter = (ctx) => {
  const out = ctx.layer.computeOutputShape(ctx.inputShapes[0]).slice(1) as number[];
  return ctx.graph.op(
    'Reshape',
    [ctx.inputs[0], ctx.graph.ints(`${ctx.layer.name}/shape`, [0, ...out])],
    ctx.layer.name,
  );
};

/** Dropout exports for inference: the identity. @internal */
export const exportDropout: LayerExporter = (ctx) =>
  ctx.graph.op('Identity', [ctx.inputs[0]], ctx.layer.name);
