import type { Inception } from '@nutshell/conv';
import type { LayerExporter } from '../exporter.js';
import { toChannelsFirst, toChannelsLast, transposeValues } from './layout.js';

/**
 * The Inception module: four branches of 'same' convolutions with ReLU (1×1; 1×1 → 3×3; 1×1 → 5×5;
 * 3×3 max-pool → 1×1) joined on the channel axis, all computed channels first between one pair of transposes.
 * @internal
 */
export const exportInception: LayerExporter = (ctx) => {
  const l = ctx.layer as Inception;
  const g = ctx.graph;
  const name = l.name;
  const x = toChannelsFirst(g, ctx.inputs[0], 4, name);
  const branch = (weights: string, input: string): string => {
    const k = ctx.weight(`${weights}/kernel`);
    const b = ctx.weight(`${weights}/bias`);
    const w = transposeValues(k.values, k.shape, [3, 2, 0, 1]);
    const size = k.shape[0];
    const before = Math.floor((size - 1) / 2); // stride 1 'same': total padding size − 1, the extra after
    const y = g.op(
      'Conv',
      [
        input,
        g.constant(`${name}/${weights}/W`, w.values, w.shape),
        g.constant(`${name}/${weights}/B`, b.values, b.shape),
      ],
      `${name}/${weights}`,
      {
        kernel_shape: [size, size],
        pads: [before, before, size - 1 - before, size - 1 - before],
      },
    );
    return g.op('Relu', [y], `${name}/${weights}/relu`);
  };
  const pooled = g.op('MaxPool', [x], `${name}/pool`, {
    kernel_shape: [3, 3],
    strides: [1, 1],
    pads: [1, 1, 1, 1],
  });
  const joined = g.op(
    'Concat',
    [
      branch('branch1x1', x),
      branch('branch3x3', branch('branch3x3_reduce', x)),
      branch('branch5x5', branch('branch5x5_reduce', x)),
      branch('pool_projection', pooled),
    ],
    `${name}/concat`,
    { axis: 1 },
  );
  return toChannelsLast(g, joined, 4, name);
};
