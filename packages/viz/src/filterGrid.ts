import { ShapeError, type Tensor } from '@nutshell/tensor';
import { VizError } from './errors.js';
import { makeFigure, type Figure, type PlacedImage } from './figure.js';
import { rgbToRaster, valuesToRaster } from './raster.js';
import { escapeXml, h, text, textWidth } from './svg.js';
import type { LayerLike } from './types.js';
import { colorbar } from './colorbar.js';

/** Options of {@link filterGrid}. @public */
export interface FilterGridOptions {
  /** Heading (default: `Filters of <layer>`). */
  title?: string;
  /** Show at most this many filters (default 64). */
  maxFilters?: number;
  /** For deeper layers, show at most this many input channels per filter (default 16). */
  maxChannels?: number;
  /** Tiles per row when each filter is one tile (default: up to 8). */
  columns?: number;
  /** Size of one tile in pixels (default 40). */
  tileSize?: number;
  /** Draw 3-channel kernels as colour images (default true). Otherwise each channel is its own tile. */
  rgb?: boolean;
}

function findKernel(layer: LayerLike): Tensor {
  const k =
    layer.weights.find((w) => w.variable.rank === 4 && /kernel$/.test(w.name)) ??
    layer.weights.find((w) => w.variable.rank === 4);
  if (!k) {
    const have = layer.weights.length
      ? layer.weights.map((w) => `${w.name} [${w.variable.shape.join(', ')}]`).join(', ')
      : 'no weights (is it built?)';
    throw new VizError(
      'filterGrid',
      `layer "${layer.name}" has no convolution kernel (a weight of shape [kernelH, kernelW, inChannels, filters]); it has ${have}. Pass a Conv2D layer or a rank-4 kernel tensor.`,
    );
  }
  return k.variable;
}

/**
 * The kernels of a convolution layer as a grid of small pictures: what each filter looks for.
 *
 * A first layer (1 or 3 input channels) shows one tile per filter: grey-scale kernels on a diverging scale (blue
 * negative, white zero, red positive), colour kernels as RGB images. A deeper layer shows one row per filter and one
 * column per input channel. Each filter is normalised by its own largest |weight|, so weak and strong filters are
 * equally visible; the colour bar gives the scale. Reads the weights asynchronously (any backend), creates no tensors.
 *
 * @param source - a layer with a rank-4 kernel (e.g. `Conv2D`), or the kernel itself, shape `[kh, kw, in, filters]`
 * @public
 */
export async function filterGrid(source: LayerLike | Tensor, opts: FilterGridOptions = {}): Promise<Figure> {
  const isTensor = typeof (source as Tensor).dataId === 'object' && 'rank' in source;
  const kernel = isTensor ? (source as Tensor) : findKernel(source as LayerLike);
  const name = isTensor ? 'kernel' : (source as LayerLike).name;
  if (kernel.rank !== 4)
    throw new ShapeError('filterGrid', '[kernelH, kernelW, inChannels, filters]', kernel.shape);
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const values = (await kernel.data()) as Float32Array;
  const nf = Math.min(cout, opts.maxFilters ?? 64);
  const tile = opts.tileSize ?? 40;
  const gap = 4;
  const rgb = cin === 3 && (opts.rgb ?? true);
  const perFilterTile = cin === 1 || rgb;
  const title = opts.title ?? `Filters of ${name} (${kh}×${kw}, ${cin} in → ${cout} out)`;
  const at = (r: number, c: number, i: number, o: number) => values[((r * kw + c) * cin + i) * cout + o]!;
  const images: PlacedImage[] = [];
  let body = '';
  const top = 30;
  const left = perFilterTile ? 10 : 44;
  let width: number;
  let gridBottom: number;
  if (perFilterTile) {
    const columns = Math.max(1, opts.columns ?? Math.min(nf, 8));
    for (let o = 0; o < nf; o++) {
      const x = left + (o % columns) * (tile + gap);
      const y = top + Math.floor(o / columns) * (tile + gap + 12);
      let raster;
      if (rgb) {
        const px = new Float32Array(kh * kw * 3);
        for (let r = 0; r < kh; r++)
          for (let c = 0; c < kw; c++) for (let i = 0; i < 3; i++) px[(r * kw + c) * 3 + i] = at(r, c, i, o);
        raster = rgbToRaster(px, kh, kw);
      } else {
        const px = new Float32Array(kh * kw);
        for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) px[r * kw + c] = at(r, c, 0, o);
        raster = valuesToRaster(px, kh, kw, { colormap: 'diverging' });
      }
      images.push({ x, y, width: tile, height: tile, raster, label: `${name} filter ${o}` });
      body += text(x + tile / 2, y + tile + 10, String(o), {
        'text-anchor': 'middle',
        'font-size': 9,
        fill: '#555',
      });
    }
    width = left + Math.min(nf, columns) * (tile + gap) + 6;
    gridBottom = top + Math.ceil(nf / columns) * (tile + gap + 12);
  } else {
    const nc = Math.min(cin, opts.maxChannels ?? 16);
    for (let o = 0; o < nf; o++) {
      let m = 0;
      for (let r = 0; r < kh; r++)
        for (let c = 0; c < kw; c++) for (let i = 0; i < cin; i++) m = Math.max(m, Math.abs(at(r, c, i, o)));
      const y = top + 12 + o * (tile + gap);
      body += text(left - 6, y + tile / 2 + 4, `f${o}`, {
        'text-anchor': 'end',
        'font-size': 9,
        fill: '#555',
      });
      for (let i = 0; i < nc; i++) {
        const px = new Float32Array(kh * kw);
        for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) px[r * kw + c] = at(r, c, i, o);
        images.push({
          x: left + i * (tile + gap),
          y,
          width: tile,
          height: tile,
          raster: valuesToRaster(px, kh, kw, { colormap: 'diverging', min: -m, max: m }),
          label: `${name} filter ${o} channel ${i}`,
        });
      }
    }
    for (let i = 0; i < nc; i++)
      body += text(left + i * (tile + gap) + tile / 2, top + 8, `in ${i}`, {
        'text-anchor': 'middle',
        'font-size': 9,
        fill: '#555',
      });
    width = left + nc * (tile + gap) + 6;
    gridBottom = top + 12 + nf * (tile + gap);
    if (cin > nc || cout > nf)
      body += text(
        left,
        gridBottom + 10,
        `showing ${nf} of ${cout} filters × ${nc} of ${cin} input channels`,
        { 'font-size': 9, fill: '#555' },
      );
  }
  if (perFilterTile && cout > nf)
    body += text(left, gridBottom + 2, `showing ${nf} of ${cout} filters`, { 'font-size': 9, fill: '#555' });
  const bar = rgb
    ? null
    : colorbar(
        'diverging',
        left,
        gridBottom + 16,
        Math.max(140, Math.min(220, width - 2 * left)),
        '−max|w|',
        '0',
        '+max|w|  (per filter)',
      );
  if (bar) {
    images.push(bar.image);
    body += bar.body;
  }
  width = Math.max(width, 260, 20 + textWidth(title, 13, true));
  const height = gridBottom + (bar ? 52 : 18);
  body += h('text', { x: 10, y: 18, 'font-size': 13, 'font-weight': 'bold', fill: '#111' }, escapeXml(title));
  return makeFigure(title, width, height, body, images);
}
