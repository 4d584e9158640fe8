import type { Colormap } from './color.js';
import type { PlacedImage } from './figure.js';
import { valuesToRaster } from './raster.js';
import { text } from './svg.js';

/** A horizontal colour bar with labels at both ends and the middle. */
export function colorbar(
  map: Colormap,
  x: number,
  y: number,
  width: number,
  low: string,
  mid: string,
  high: string,
): { image: PlacedImage; body: string } {
  const n = 64;
  const vals = Float32Array.from({ length: n }, (_, i) => i / (n - 1));
  const image: PlacedImage = {
    x,
    y,
    width,
    height: 10,
    raster: valuesToRaster(vals, 1, n, { colormap: map, min: 0, max: 1 }),
    label: 'colour scale',
  };
  const body =
    text(x, y + 22, low, { 'font-size': 9, fill: '#444' }) +
    text(x + width / 2, y + 22, mid, { 'font-size': 9, fill: '#444', 'text-anchor': 'middle' }) +
    text(x + width, y + 22, high, { 'font-size': 9, fill: '#444', 'text-anchor': 'end' });
  return { image, body };
}
