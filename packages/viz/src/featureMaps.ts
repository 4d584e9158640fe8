import { ShapeError, formatShape, tf, type Tensor } from '@nutshell/tensor';
import type { Colormap } from './color.js';
import { colorbar } from './colorbar.js';
import { VizError } from './errors.js';
import { makeFigure, type Figure, type PlacedImage } from './figure.js';
import { rgbToRaster, valueRange, valuesToRaster, type RasterImage } from './raster.js';
import { h, text, textWidth } from './svg.js';
import { classNameOf, type LayerLike, type ModelLike } from './types.js';

/** Options of {@link featureMaps}. @public */
export interface FeatureMapsOptions {
  /** Heading (default: `Feature maps of <model>`). */
  title?: string;
  /** At most this many channels per layer (default 16). */
  maxMaps?: number;
  /** About how large one map is drawn, in pixels (default 44; maps are enlarged by whole pixels). */
  tileSize?: number;
  /** `map`: each map stretched to its own range (default); `layer`: one range for all maps of a layer. */
  normalize?: 'map' | 'layer';
  /** Colour map for activations (default `viridis`). */
  colormap?: Colormap;
  /** Names of the classes, to label the last layer's most active unit. */
  classNames?: readonly string[];
}

/** The values of one example in one layer, ready to draw. */
interface Activation {
  readonly label: string;
  readonly detail: string;
  /** `[h, w, c]` for maps, `[n]` for vectors. */
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** The example's shape the model expects (its input shape without the batch), checked against `x`. */
export function checkExample(op: string, model: ModelLike, x: Tensor): { batched: boolean } {
  const expected = model.inputShape.slice(1);
  const matches = (shape: readonly number[]) =>
    shape.length === expected.length && expected.every((d, i) => d == null || d === shape[i]);
  if (matches(x.shape)) return { batched: false };
  if (x.shape[0] === 1 && matches(x.shape.slice(1))) return { batched: true };
  throw new ShapeError(
    op,
    expected as (number | null)[],
    x.shape,
    `model "${model.name}" takes examples of shape ${formatShape(expected)} (or a batch of one, ${formatShape([1, ...expected])})`,
  );
}

/** Turns one example's activation (`[h, w, c]`, `[h, w]` or a vector) into tiles of a grid row. */
function tilesOf(
  a: Activation,
  maxMaps: number,
  normalize: 'map' | 'layer',
  colormap: Colormap,
): RasterImage[] {
  if (a.shape.length === 3) {
    const [hh, ww, c] = a.shape as [number, number, number];
    const n = Math.min(c, maxMaps);
    const layerRange = normalize === 'layer' ? valueRange(a.values) : undefined;
    const tiles: RasterImage[] = [];
    for (let ch = 0; ch < n; ch++) {
      const px = new Float32Array(hh * ww);
      for (let i = 0; i < hh * ww; i++) px[i] = a.values[i * c + ch]!;
      tiles.push(valuesToRaster(px, hh, ww, { colormap, ...layerRange }));
    }
    return tiles;
  }
  // A vector: wrapped into rows of up to 32 cells, padded with its smallest value.
  const n = a.values.length;
  const cols = Math.min(n, 32);
  const rows = Math.ceil(n / cols);
  const { min } = valueRange(a.values);
  const px = new Float32Array(rows * cols).fill(min);
  px.set(a.values);
  return [valuesToRaster(px, rows, cols, { colormap })];
}

async function exampleActivation(label: string, detail: string, t: Tensor): Promise<Activation> {
  const values = Float32Array.from((await t.data()) as ArrayLike<number>);
  const s = t.shape.slice(1);
  const shape = s.length === 3 ? s : s.length === 2 ? [s[0]!, s[1]!, 1] : [values.length];
  return { label, detail, shape, values };
}

/**
 * One input pushed through a model, every layer's activations drawn in order: the hierarchy of features, from the
 * input's pixels through edge-like maps of the first convolution to the class scores. Each row is a layer (name,
 * class, output shape); spatial outputs show one small map per channel, vectors a strip of cells.
 *
 * Uses `model.intermediateOutputs` in inference mode, reads asynchronously and disposes every tensor it makes.
 *
 * @param x - one example, shaped like the model's input without the batch (`[28, 28, 1]`), or a batch of one
 * @throws ShapeError when `x` does not fit the model's input shape
 * @public
 */
export async function featureMaps(
  model: ModelLike,
  x: Tensor,
  opts: FeatureMapsOptions = {},
): Promise<Figure> {
  const { batched } = checkExample('featureMaps', model, x);
  const acts: Activation[] = [];
  const input = batched ? x : tf.expandDims(x, 0);
  let outs: { layer: LayerLike; output: Tensor }[] = [];
  try {
    acts.push(await exampleActivation('input', formatShape(x.shape.slice(batched ? 1 : 0)), input));
    outs = model.intermediateOutputs(input, { training: false });
    for (const { layer, output } of outs) {
      acts.push(
        await exampleActivation(
          layer.name,
          `${classNameOf(layer)} ${formatShape(output.shape.slice(1))}`,
          output,
        ),
      );
    }
  } finally {
    if (!batched) input.dispose();
    for (const o of outs) o.output.dispose();
  }
  if (acts.length < 2)
    throw new VizError('featureMaps', `model "${model.name}" returned no intermediate outputs.`);
  const last = acts[acts.length - 1]!;
  if (last.shape.length === 1 && last.values.length === 1) {
    // A binary model's single logit: class 1 when positive.
    const v = last.values[0]!;
    const cls = opts.classNames?.[v > 0 ? 1 : 0] ?? String(v > 0 ? 1 : 0);
    acts[acts.length - 1] = { ...last, detail: `${last.detail} · ${v.toFixed(2)} → ${cls}` };
  } else if (last.shape.length === 1) {
    let best = 0;
    last.values.forEach((v, i) => {
      if (v > last.values[best]!) best = i;
    });
    const cls = opts.classNames?.[best] ?? String(best);
    acts[acts.length - 1] = { ...last, detail: `${last.detail} · top: ${cls}` };
  }
  return activationRows(opts.title ?? `Feature maps of ${model.name}`, acts, opts);
}

/**
 * Draws one activation tensor (`[h, w, c]` or `[1, h, w, c]`, or a vector) as a row of maps, one per channel.
 * The building block of {@link featureMaps}, usable on any tensor (e.g. the output of one convolution).
 * @public
 */
export async function activationGrid(
  activation: Tensor,
  opts: FeatureMapsOptions & { label?: string } = {},
): Promise<Figure> {
  const t =
    activation.rank === 3 || activation.rank === 2
      ? activation
      : activation.rank === 4 && activation.shape[0] === 1
        ? activation
        : null;
  if (activation.rank === 1) {
    const a = await exampleActivation(opts.label ?? 'activation', formatShape(activation.shape), activation);
    return activationRows(opts.title ?? 'Activation', [{ ...a, shape: [a.values.length] }], opts);
  }
  if (!t) throw new ShapeError('activationGrid', '[h, w, channels] or [1, h, w, channels]', activation.shape);
  const values = Float32Array.from((await t.data()) as ArrayLike<number>);
  const s = t.rank === 4 ? t.shape.slice(1) : t.rank === 3 ? t.shape : [t.shape[0]!, t.shape[1]!, 1];
  return activationRows(
    opts.title ?? 'Activation',
    [{ label: opts.label ?? 'activation', detail: formatShape(activation.shape), shape: s, values }],
    opts,
  );
}

function activationRows(title: string, acts: Activation[], opts: FeatureMapsOptions): Figure {
  const maxMaps = opts.maxMaps ?? 16;
  const target = opts.tileSize ?? 44;
  const colormap = opts.colormap ?? 'viridis';
  const labelW = 170;
  const gap = 4;
  let y = 34;
  let width = Math.max(400, 20 + textWidth(title, 13, true));
  let body = text(10, 20, title, { 'font-size': 13, 'font-weight': 'bold', fill: '#111' });
  const images: PlacedImage[] = [];
  for (const a of acts) {
    // The input keeps its natural look (grey or colour); everything else uses the activation colour map.
    let tiles: RasterImage[];
    if (a.label === 'input' && a.shape.length === 3 && (a.shape[2] === 1 || a.shape[2] === 3)) {
      tiles = [
        a.shape[2] === 3
          ? rgbToRaster(a.values, a.shape[0]!, a.shape[1]!)
          : valuesToRaster(a.values, a.shape[0]!, a.shape[1]!, { colormap: 'gray' }),
      ];
    } else {
      tiles = tilesOf(a, maxMaps, opts.normalize ?? 'map', colormap);
    }
    const isVector = a.shape.length === 1;
    const k = isVector ? 10 : Math.max(1, Math.round(target / Math.max(tiles[0]!.width, tiles[0]!.height)));
    const tw = tiles[0]!.width * k;
    const th = tiles[0]!.height * k;
    const rowH = Math.max(th + (isVector ? 12 : 0), 30);
    body += text(10, y + 12, a.label, { 'font-size': 11, 'font-weight': 'bold', fill: '#222' });
    body += text(10, y + 26, a.detail, { 'font-size': 9, fill: '#555' });
    tiles.forEach((raster, i) => {
      // A hairline frame, so white pixels at a tile's edge stay visible on the white page.
      body += h('rect', {
        x: labelW + i * (tw + gap) - 0.5,
        y: y - 0.5,
        width: tw + 1,
        height: th + 1,
        fill: 'none',
        stroke: '#bbb',
        'stroke-width': 1,
      });
      images.push({
        x: labelW + i * (tw + gap),
        y,
        width: tw,
        height: th,
        raster,
        label: isVector ? `${a.label}` : `${a.label} map ${i}`,
      });
    });
    if (
      isVector &&
      a === acts[acts.length - 1] &&
      opts.classNames &&
      a.values.length > 1 &&
      a.values.length <= 32
    ) {
      // The class scores: name each cell.
      opts.classNames.slice(0, a.values.length).forEach((name, i) => {
        body += text(labelW + i * k + k / 2, y + th + 10, name, {
          'text-anchor': 'middle',
          'font-size': 8,
          fill: '#444',
        });
      });
    }
    const channels = a.shape.length === 3 ? a.shape[2]! : 1;
    if (channels > tiles.length && a.label !== 'input') {
      body += text(labelW + tiles.length * (tw + gap) + 2, y + th / 2 + 4, `+${channels - tiles.length}`, {
        'font-size': 10,
        fill: '#777',
      });
    }
    width = Math.max(width, labelW + tiles.length * (tw + gap) + 40);
    y += rowH + 10;
  }
  const bar = colorbar(colormap, labelW, y + 4, 200, 'low', 'activation (per map)', 'high');
  images.push(bar.image);
  body += bar.body;
  return makeFigure(title, width, y + 40, body, images);
}
