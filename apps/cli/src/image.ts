import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { UsageError } from './errors.js';

/** Box-filter resize of a grey image (values in [0, 1]) to `size × size`. */
function resize(grey: Float32Array, width: number, height: number, size: number): Float32Array {
  if (width === size && height === size) return grey;
  const out = new Float32Array(size * size);
  for (let ty = 0; ty < size; ty++) {
    const y0 = Math.floor((ty * height) / size);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * height) / size));
    for (let tx = 0; tx < size; tx++) {
      const x0 = Math.floor((tx * width) / size);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * width) / size));
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += grey[y * width + x];
      out[ty * size + tx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/**
 * Reads a PNG as an MNIST-style digit: grey in [0, 1], resized to `size × size`, a bright digit on a dark
 * background (a picture with a light background, like ink on paper, is inverted). Transparent pixels count as
 * background.
 */
export function readDigitPng(path: string, size = 28): Float32Array {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(path));
  } catch (e) {
    throw new UsageError(`${path}: cannot read it as a PNG: ${(e as Error).message}`);
  }
  const { width, height, data } = png;
  const grey = new Float32Array(width * height);
  let coverage = 0;
  for (let i = 0; i < grey.length; i++) {
    const a = data[4 * i + 3] / 255;
    const lum = (0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]) / 255;
    grey[i] = lum;
    coverage += a;
  }
  // Mostly transparent: the strokes are the opaque pixels, whatever their colour.
  if (coverage < 0.5 * grey.length) {
    for (let i = 0; i < grey.length; i++) grey[i] = data[4 * i + 3] / 255;
  } else {
    let mean = 0;
    for (const v of grey) mean += v;
    if (mean / grey.length > 0.5) for (let i = 0; i < grey.length; i++) grey[i] = 1 - grey[i];
  }
  return resize(grey, width, height, size);
}
