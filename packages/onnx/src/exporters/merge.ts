import type { Concatenate } from '@nutshell/layers';
import type { LayerExporter } from '../exporter.js';

/** Add: ONNX `Sum` of every input. @internal */
export const exportAdd: LayerExporter = (ctx) => ctx.graph.op('Sum', ctx.inputs, ctx.layer.name);

/** Multiply: a chain of `Mul`, in input order (the order Nutshell multiplies in). @internal */
export const exportMultiply: LayerExporter = (ctx) =>
  ctx.inputs
    .slice(1)
    .reduce(
      (acc, x, i) =>
        ctx.graph.op(
          'Mul',
          [acc, x],
          i === ctx.inputs.length - 2 ? ctx.layer.name : `${ctx.layer.name}/partial`,
        ),
      ctx.inputs[0],
    );

/** Concatenate on its axis (made non-negative: the same axis in channels-last ONNX values). @internal */
export const exportConcatenate: LayerExporter = (ctx) => {
  const layer = ctx.layer as Concatenate;
  const rank = ctx.inputShapes[0].length;
  return ctx.graph.op('Concat', ctx.inputs, layer.name, {
    axis: layer.axis < 0 ? layer.axis + rank : layer.axis,
  });
};
