import { ShapeError, formatShape, tf, type Tensor } from '@nutshell/tensor';
import { VizError } from './errors.js';
import { makeFigure, type Figure, type PlacedImage } from './figure.js';
import { rgbToRaster, valuesToRaster } from './raster.js';
import { text } from './svg.js';
import type { LayerLike, ModelLike } from './types.js';

/** Options of {@link topActivatingInputs}. @public */
export interface TopActivatingOptions {
  /** The layer: its name, its index in `model.layers`, or the layer itself. */
  layer: string | number | LayerLike;
  /** The unit: a channel of a convolution (its mean over positions is used) or a unit of a dense layer. */
  unit: number;
  /** How many inputs to show (default 9). */
  k?: number;
  /** Examples pushed through the model at a time (default 64). */
  batchSize?: number;
  /** Heading of the figure. */
  title?: string;
  /** Size of one picture in pixels (default 56). */
  tileSize?: number;
}

/** The inputs that activate a unit most, and the picture of them. @public */
export interface TopActivating {
  /** Indices into the data set, most activating first. */
  readonly indices: number[];
  /** The unit's activation for each of them. */
  readonly values: number[];
  /** The inputs drawn in order, each with its index and activation. */
  readonly figure: Figure;
}

/**
 * Finds the examples of a data set that activate one unit most: what the unit responds to. For a convolution
 * channel the activation is the channel's mean over all positions. Works in batches, reads asynchronously and leaves
 * no tensor behind.
 *
 * @param inputs - examples stacked on the first axis, e.g. `[n, 28, 28, 1]`
 * @public
 */
export async function topActivatingInputs(
  model: ModelLike,
  inputs: Tensor,
  opts: TopActivatingOptions,
): Promise<TopActivating> {
  const expected = [null, ...model.inputShape.slice(1)];
  if (inputs.rank !== expected.length || expected.some((d, i) => d != null && d !== inputs.shape[i])) {
    throw new ShapeError(
      'topActivatingInputs',
      expected,
      inputs.shape,
      `model "${model.name}" takes ${formatShape(expected)}`,
    );
  }
  const layerIndex =
    typeof opts.layer === 'number'
      ? opts.layer
      : model.layers.findIndex((l) =>
          typeof opts.layer === 'string' ? l.name === opts.layer : l === opts.layer,
        );
  const layer = model.layers[layerIndex];
  if (!layer) {
    const want = typeof opts.layer === 'object' ? opts.layer.name : String(opts.layer);
    throw new VizError(
      'topActivatingInputs',
      `model "${model.name}" has no layer ${want}; its layers are ${model.layers.map((l) => l.name).join(', ')}.`,
    );
  }
  const n = inputs.shape[0]!;
  const batchSize = opts.batchSize ?? 64;
  const scores = new Float32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const batch = tf.slice(inputs, start, size);
    let outs: { layer: LayerLike; output: Tensor }[] = [];
    try {
      outs = model.intermediateOutputs(batch, { training: false });
      const out = (outs.find((o) => o.layer === layer) ?? outs[layerIndex])!.output;
      const units = out.shape[out.rank - 1]!;
      if (opts.unit < 0 || opts.unit >= units || !Number.isInteger(opts.unit)) {
        throw new VizError(
          'topActivatingInputs',
          `layer "${layer.name}" has ${units} units (output ${formatShape(out.shape)}); unit ${opts.unit} does not exist.`,
        );
      }
      const column = tf.tidy(() => {
        const flat = tf.reshape(out, [size, -1, units]);
        return tf.mean(tf.slice(flat, [0, 0, opts.unit], [size, -1, 1]), [1, 2]);
      });
      scores.set((await column.data()) as Float32Array, start);
      column.dispose();
    } finally {
      batch.dispose();
      for (const o of outs) o.output.dispose();
    }
  }
  const k = Math.min(opts.k ?? 9, n);
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  const indices = order.slice(0, k);
  const values = indices.map((i) => scores[i]!);
  const chosen = tf.gather(inputs, indices);
  const pixels = (await chosen.data()) as Float32Array;
  chosen.dispose();
  const [hh, ww, cc] =
    inputs.rank === 4
      ? (inputs.shape.slice(1) as number[])
      : inputs.rank === 3
        ? [inputs.shape[1]!, inputs.shape[2]!, 1]
        : [1, inputs.size / n, 1];
  const per = hh! * ww! * cc!;
  const tile = opts.tileSize ?? 56;
  const columns = Math.min(k, 9);
  const title = opts.title ?? `Inputs that activate ${layer.name} unit ${opts.unit} most`;
  let body = text(10, 20, title, { 'font-size': 13, 'font-weight': 'bold', fill: '#111' });
  const images: PlacedImage[] = indices.map((idx, j) => {
    const px = pixels.subarray(j * per, (j + 1) * per);
    const raster =
      cc === 3
        ? rgbToRaster(px, hh!, ww!)
        : valuesToRaster(px.length === hh! * ww! ? px : px.filter((_, i) => i % cc! === 0), hh!, ww!, {
            colormap: 'gray',
          });
    const x = 10 + (j % columns) * (tile + 8);
    const y = 32 + Math.floor(j / columns) * (tile + 26);
    body += text(x, y + tile + 11, `#${idx}`, { 'font-size': 9, fill: '#555' });
    body += text(x, y + tile + 21, values[j]!.toPrecision(3), { 'font-size': 9, fill: '#222' });
    return { x, y, width: tile, height: tile, raster, label: `example ${idx}` };
  });
  const width = Math.max(300, 20 + columns * (tile + 8));
  const height = 32 + Math.ceil(k / columns) * (tile + 26) + 6;
  return { indices, values, figure: makeFigure(title, width, height, body, images) };
}
