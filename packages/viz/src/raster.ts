import { encode as encodePngBytes } from 'fast-png';
import { colorAt, type Colormap } from './color.js';

/**
 * A picture as RGBA bytes, row by row from the top left: the same layout as the browser's `ImageData`
 * (`new ImageData(raster.data, raster.width, raster.height)`).
 * @public
 */
export interface RasterImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** `width * height * 4` bytes: red, green, blue, alpha of each pixel. */
  readonly data: Uint8ClampedArray;
}

/** How numbers are mapped to colours in {@link valuesToRaster}. @public */
export interface ValueScaleOptions {
  /** The colour map (default `viridis`). */
  colormap?: Colormap;
  /**
   * The value drawn at the bottom of the scale. Default: the smallest value, or `-max|v|` for `diverging`
   * (so that zero is white).
   */
  min?: number;
  /** The value drawn at the top of the scale. Default: the largest value, or `max|v|` for `diverging`. */
  max?: number;
}

/** The range a set of values is drawn over, following the defaults of {@link ValueScaleOptions}. */
export function valueRange(
  values: ArrayLike<number>,
  opts: ValueScaleOptions = {},
): { min: number; max: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) lo = hi = 0;
  if ((opts.colormap ?? 'viridis') === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    lo = -m;
    hi = m;
  }
  return { min: opts.min ?? lo, max: opts.max ?? hi };
}

/**
 * Turns a `height × width` grid of numbers (row-major, `values[r * width + c]`) into an image through a colour map.
 * A grid whose values are all equal is drawn in one colour (the bottom of the scale, or white for `diverging`).
 * @public
 */
export function valuesToRaster(
  values: ArrayLike<number>,
  height: number,
  width: number,
  opts: ValueScaleOptions = {},
): RasterImage {
  if (values.length < height * width) {
    throw new RangeError(`valuesToRaster: ${values.length} values cannot fill ${height}×${width}`);
  }
  const colormap = opts.colormap ?? 'viridis';
  const { min, max } = valueRange(values, opts);
  const span = max - min;
  const flat = colormap === 'diverging' ? 0.5 : 0;
  const data = new Uint8ClampedArray(height * width * 4);
  for (let i = 0; i < height * width; i++) {
    const t = span > 0 ? (values[i]! - min) / span : flat;
    const [r, g, b] = colorAt(colormap, t);
    data[i * 4] = r;
    data[i * 4 + 1] = g;
    data[i * 4 + 2] = b;
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/**
 * Turns a `height × width × 3` grid (channels last) into an RGB image, stretching the values' own range to 0..255
 * (the usual way to show first-layer colour filters).
 * @public
 */
export function rgbToRaster(values: ArrayLike<number>, height: number, width: number): RasterImage {
  const { min, max } = valueRange(values);
  const span = max - min || 1;
  const data = new Uint8ClampedArray(height * width * 4);
  for (let i = 0; i < height * width; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round(((values[i * 3 + c]! - min) / span) * 255);
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/** Enlarges an image by an integer factor, each pixel becoming a `factor × factor` block (no smoothing). @public */
export function upscaleRaster(img: RasterImage, factor: number): RasterImage {
  const k = Math.max(1, Math.floor(factor));
  if (k === 1) return img;
  const width = img.width * k;
  const height = img.height * k;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.floor(y / k);
    for (let x = 0; x < width; x++) {
      const s = (sy * img.width + Math.floor(x / k)) * 4;
      const d = (y * width + x) * 4;
      data[d] = img.data[s]!;
      data[d + 1] = img.data[s + 1]!;
      data[d + 2] = img.data[s + 2]!;
      data[d + 3] = img.data[s + 3]!;
    }
  }
  return { width, height, data };
}

/** The RGBA of one pixel. @public */
export function pixelAt(img: RasterImage, x: number, y: number): [number, number, number, number] {
  const i = (y * img.width + x) * 4;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!, img.data[i + 3]!];
}

/**
 * Encodes an image as PNG bytes (pure JavaScript, via fast-png: works in Node and in browsers).
 * @public
 */
export function encodePng(img: RasterImage): Uint8Array {
  return encodePngBytes({
    width: img.width,
    height: img.height,
    data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength),
    channels: 4,
    depth: 8,
  });
}

/**
 * Base64 of bytes: Node's Buffer where there is one (a run report's PNGs took about 120 ms through the string
 * path below, 2026-12-06), `btoa` otherwise (browsers).
 */
export function base64(bytes: Uint8Array): string {
  const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A `data:image/png;base64,...` URI of an image, for `<img>` or SVG `<image>`. @public */
export function rasterDataUri(img: RasterImage): string {
  return `data:image/png;base64,${base64(encodePng(img))}`;
}
