// Edge detection with classic convolution kernels on a real photograph (Chelsea the cat, CC0).
// Run: pnpm --filter @nutshell/examples exec tsx src/edge-detection.ts [output folder]
// Writes the input (colour and grey) and one PNG per filter into output/edge-detection/ by default.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { correlate2d, convolve2d, edgeMagnitude, gaussian, laplacian, sobelX, sobelY } from '@nutshell/conv';
import { read, tf, type Tensor } from '@nutshell/tensor';
import { decode, encode } from 'fast-png';

const PHOTO = new URL('../data/images/chelsea.png', import.meta.url);
const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'output', 'edge-detection');

/** A decoded photograph as luminance in [0, 1] (ITU-R BT.601 weights), `[height, width]`. */
export async function loadGrey(
  file: URL | string = PHOTO,
): Promise<{ grey: Tensor; rgb: Uint8Array; width: number; height: number; channels: number }> {
  const png = decode(await readFile(file));
  const { width, height, channels } = png;
  const data = png.data;
  const scale = png.depth === 16 ? 65535 : 255;
  const grey = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] =
      channels >= 3
        ? [data[i * channels], data[i * channels + 1], data[i * channels + 2]]
        : [data[i * channels], data[i * channels], data[i * channels]];
    grey[i] = (0.299 * r + 0.587 * g + 0.114 * b) / scale;
  }
  const rgb = png.depth === 8 ? Uint8Array.from(data) : Uint8Array.from(data, (v) => v >> 8);
  return { grey: tf.tensor2d(grey, [height, width]), rgb, width, height, channels };
}

/** The filter responses the example writes, each `[height, width]` (caller disposes). */
export function edgeMaps(grey: Tensor): Record<string, Tensor> {
  return tf.tidy(() => {
    // Mirror the border instead of padding with zeros: a zero frame would be an "edge" all around the picture.
    const mirrored = (t: Tensor, r: number) =>
      tf.mirrorPad(
        t as tf.Tensor2D,
        [
          [r, r],
          [r, r],
        ],
        'symmetric',
      );
    const g = mirrored(grey, 1);
    const smooth = correlate2d(mirrored(grey, 4), gaussian(1.5, 9));
    const s = mirrored(smooth, 1);
    return {
      'sobel-x': correlate2d(g, sobelX()),
      'sobel-y': correlate2d(g, sobelY()),
      sobel: edgeMagnitude(g, { padding: 'valid' }),
      'scharr-after-gaussian': edgeMagnitude(s, { operator: 'scharr', padding: 'valid' }),
      laplacian: tf.abs(correlate2d(s, laplacian(8))),
      blur: smooth,
    };
  });
}

/**
 * Maps values to 8-bit grey for a PNG: magnitudes from 0 to their 99.5th percentile (so a few strong edges do not
 * wash out the rest), signed maps with 0 as mid-grey.
 */
export async function toGreyPng(t: Tensor, signed: boolean): Promise<Uint8Array> {
  const v = await read(t);
  const [height, width] = t.shape as number[];
  const mags = Float32Array.from(v, Math.abs).sort();
  const top = Math.max(mags[Math.floor(0.995 * (mags.length - 1))], 1e-6);
  const px = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = signed ? 0.5 + v[i] / (2 * top) : v[i] / top;
    px[i] = Math.round(255 * Math.min(1, Math.max(0, x)));
  }
  return encode({ width, height, data: px, channels: 1, depth: 8 });
}

/** Runs the example; returns what it wrote and a few numbers about the edge maps. */
export async function main(outDir = DEFAULT_OUT, log: (line: string) => void = console.log) {
  const { grey, rgb, width, height, channels } = await loadGrey();
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, bytes: Uint8Array) => {
    const file = join(outDir, name);
    await writeFile(file, bytes);
    files.push(file);
  };
  await write('input.png', encode({ width, height, data: rgb, channels, depth: 8 }));
  await write('input-grey.png', await toGreyPng(grey, false));
  const maps = edgeMaps(grey);
  const stats: Record<string, { mean: number; max: number }> = {};
  for (const [name, t] of Object.entries(maps)) {
    await write(`${name}.png`, await toGreyPng(t, name === 'sobel-x' || name === 'sobel-y'));
    const v = Array.from(await read(t), Math.abs);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    stats[name] = { mean, max: v.reduce((m, x) => Math.max(m, x), 0) };
    log(`${name.padEnd(22)} mean |response| ${mean.toFixed(4)}, max ${stats[name].max.toFixed(3)}`);
  }
  // The convolution theorem in practice: the same Sobel filter through the FFT gives the same picture.
  const [viaFft, flipped] = tf.tidy(() => {
    const g = tf.mirrorPad(
      grey as tf.Tensor2D,
      [
        [1, 1],
        [1, 1],
      ],
      'symmetric',
    );
    return [correlate2d(g, sobelX(), { algorithm: 'fft' }), convolve2d(g, sobelX())];
  });
  const maxAbs = async (make: () => Tensor) => {
    const t = tf.tidy(make);
    const v = (await read(t))[0];
    t.dispose();
    return v;
  };
  const fftError = await maxAbs(() => tf.max(tf.abs(tf.sub(viaFft, maps['sobel-x']))));
  // True convolution flips the kernel: for the antisymmetric Sobel kernel that negates the response.
  const flipSum = await maxAbs(() => tf.max(tf.abs(tf.add(flipped, maps['sobel-x']))));
  log(
    `${width}×${height} photo; Sobel via FFT differs from direct by at most ${fftError.toExponential(2)}; ` +
      `convolve2d(sobelX) = −correlate2d(sobelX) within ${flipSum.toExponential(2)}`,
  );
  log(`wrote ${files.length} PNGs to ${outDir}`);
  tf.dispose([grey, viaFft, flipped, ...Object.values(maps)]);
  return { files, width, height, stats, fftError, flipSum };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv[2]);
}
