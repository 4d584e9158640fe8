import { encode } from 'fast-png';

/** A PNG and its size, ready for an image summary. @public */
export interface PngImage {
  readonly png: Uint8Array;
  readonly height: number;
  readonly width: number;
  /** 1 grey, 3 RGB. */
  readonly channels: 1 | 3;
}

/**
 * The filters of a 2-D convolution kernel `[kh, kw, in, out]` as one PNG: the `out` filters side by side in a
 * grid, each `scale`× enlarged, a one-pixel black gap between them. Three input channels are drawn as RGB,
 * any other number as the mean over them in grey. Values are mapped to 0…255 over the whole kernel's range, so
 * filters can be compared with each other.
 * @public
 */
export function filterImage(values: Float32Array, shape: readonly number[], scale = 4): PngImage {
  const [kh, kw, cin, cout] = shape;
  const channels = cin === 3 ? 3 : 1;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const range = hi - lo || 1;
  const cols = Math.ceil(Math.sqrt(cout));
  const rows = Math.ceil(cout / cols);
  const cell = (k: number) => k * scale + 1;
  const height = rows * cell(kh) - 1;
  const width = cols * cell(kw) - 1;
  const pixels = new Uint8Array(height * width * channels);
  for (let f = 0; f < cout; f++) {
    const top = Math.floor(f / cols) * cell(kh);
    const left = (f % cols) * cell(kw);
    for (let y = 0; y < kh * scale; y++) {
      for (let x = 0; x < kw * scale; x++) {
        const base = (Math.floor(y / scale) * kw + Math.floor(x / scale)) * cin * cout + f;
        const at = ((top + y) * width + left + x) * channels;
        if (channels === 3) {
          for (let c = 0; c < 3; c++)
            pixels[at + c] = Math.round((255 * (values[base + c * cout] - lo)) / range);
        } else {
          let mean = 0;
          for (let c = 0; c < cin; c++) mean += values[base + c * cout];
          pixels[at] = Math.round((255 * (mean / cin - lo)) / range);
        }
      }
    }
  }
  return { png: encode({ width, height, data: pixels, channels }), height, width, channels };
}
