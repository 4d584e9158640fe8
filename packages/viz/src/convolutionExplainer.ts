import { ShapeError, tf, type Tensor } from '@nutshell/tensor';
import { colorAt, hex } from './color.js';
import { VizError } from './errors.js';
import { makeFigure, type Figure, type PlacedImage } from './figure.js';
import { valuesToRaster } from './raster.js';
import { h, text, textWidth } from './svg.js';

/** A small 2-D grid of numbers, as nested arrays or a rank-2 tensor. @public */
export type Grid2D = readonly (readonly number[])[] | Tensor;

async function toRows(op: string, what: string, g: Grid2D): Promise<number[][]> {
  if (Array.isArray(g)) {
    const rows = g as readonly (readonly number[])[];
    if (rows.length === 0 || rows.some((r) => r.length !== rows[0]!.length || r.length === 0)) {
      throw new VizError(op, `${what} must be a non-empty rectangular grid of numbers.`);
    }
    return rows.map((r) => [...r]);
  }
  const t = g as Tensor;
  if (t.rank !== 2) throw new ShapeError(op, `[rows, cols] (${what})`, t.shape);
  return (await t.array()) as number[][];
}

function fmt(v: number): string {
  return Number.isInteger(v)
    ? String(v)
    : Math.abs(v) >= 10
      ? v.toFixed(0)
      : v.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** Draws a grid of numbered cells; `highlight` marks a rectangle of cells. */
function numberGrid(
  rows: number[][],
  x0: number,
  y0: number,
  cell: number,
  label: string,
  highlight?: { r: number; c: number; h: number; w: number; color: string },
  strong?: { r: number; c: number },
): string {
  let m = 0;
  for (const r of rows) for (const v of r) m = Math.max(m, Math.abs(v));
  let s = text(x0, y0 - 8, label, { 'font-size': 11, 'font-weight': 'bold', fill: '#222' });
  // One font size for the whole grid, small enough for its longest number (-0.38) to fit a cell.
  const longest = Math.max(...rows.flat().map((v) => fmt(v).length));
  const size = Math.round(Math.min(cell > 24 ? 11 : 9, (cell - 4) / (longest * 0.62)) * 10) / 10;
  rows.forEach((row, r) =>
    row.forEach((v, c) => {
      const fill = hex(colorAt('diverging', m > 0 ? 0.5 + (0.35 * v) / m : 0.5));
      s += h('rect', {
        x: x0 + c * cell,
        y: y0 + r * cell,
        width: cell,
        height: cell,
        fill,
        stroke: '#bbb',
        class: 'cell',
      });
      const bold = strong && strong.r === r && strong.c === c;
      s += text(x0 + c * cell + cell / 2, y0 + r * cell + cell / 2 + size / 3, fmt(v), {
        'text-anchor': 'middle',
        'font-size': size,
        'font-weight': bold ? 'bold' : undefined,
        fill: '#111',
      });
    }),
  );
  if (highlight) {
    s += h('rect', {
      x: x0 + highlight.c * cell,
      y: y0 + highlight.r * cell,
      width: highlight.w * cell,
      height: highlight.h * cell,
      fill: 'none',
      stroke: highlight.color,
      'stroke-width': 3,
      class: 'highlight',
    });
  }
  return s;
}

/** Options of {@link convolutionStep}. @public */
export interface ConvolutionStepOptions {
  /** The input image (a small grid, e.g. 6×6). */
  input: Grid2D;
  /** The kernel (e.g. 3×3). */
  kernel: Grid2D;
  /** Which output position to explain (default 0, 0). */
  row?: number;
  /** Which output column to explain (default 0). */
  col?: number;
  /** Step between positions (default 1). */
  stride?: number;
  /** Heading of the figure. */
  title?: string;
}

/** One step of a convolution, computed and drawn. @public */
export interface ConvolutionStep {
  /** The whole output (valid positions only), as computed by the engine's conv2d. */
  readonly output: number[][];
  /** The output at the explained position: the sum of patch × kernel. */
  readonly value: number;
  /** The input patch under the kernel at that position. */
  readonly patch: number[][];
  /** The picture: input with the patch outlined, kernel, output with the cell outlined, and the sum. */
  readonly figure: Figure;
}

/**
 * Explains one step of a convolution (strictly, cross-correlation, as in every deep-learning library): the kernel
 * laid over a patch of the input, multiplied element by element and summed into one output value. The whole output
 * is computed with the engine's `conv2d` ('valid' padding) and the picture shows input, kernel and output with the
 * patch and the output cell outlined, and the sum written out.
 * @public
 */
export async function convolutionStep(opts: ConvolutionStepOptions): Promise<ConvolutionStep> {
  const input = await toRows('convolutionStep', 'input', opts.input);
  const kernel = await toRows('convolutionStep', 'kernel', opts.kernel);
  const stride = opts.stride ?? 1;
  const [ih, iw, kh, kw] = [input.length, input[0]!.length, kernel.length, kernel[0]!.length];
  if (kh > ih || kw > iw)
    throw new ShapeError('convolutionStep', `a kernel no larger than the input ${ih}×${iw}`, [kh, kw]);
  const out = tf.tidy(() =>
    tf.conv2d(
      tf.tensor4d(input.flat(), [1, ih, iw, 1]),
      tf.tensor4d(kernel.flat(), [kh, kw, 1, 1]),
      stride,
      'valid',
    ),
  );
  const [, oh, ow] = out.shape as [number, number, number, number];
  const flat = (await out.data()) as Float32Array;
  out.dispose();
  const output = Array.from({ length: oh }, (_, r) => Array.from(flat.subarray(r * ow, (r + 1) * ow)));
  const row = opts.row ?? 0;
  const col = opts.col ?? 0;
  if (row < 0 || row >= oh || col < 0 || col >= ow)
    throw new VizError('convolutionStep', `position (${row}, ${col}) is outside the ${oh}×${ow} output.`);
  const patch = kernel.map((_, r) => input[row * stride + r]!.slice(col * stride, col * stride + kw));
  const value = output[row]![col]!;
  const cell = Math.max(20, Math.min(34, Math.floor(260 / Math.max(ih, iw))));
  const x1 = 20;
  const x2 = x1 + iw * cell + 50;
  const x3 = x2 + kw * cell + 50;
  const top = 54;
  const title = opts.title ?? `Convolution, one step: output (${row}, ${col})`;
  let body = text(10, 20, title, { 'font-size': 13, 'font-weight': 'bold', fill: '#111' });
  body += numberGrid(input, x1, top, cell, 'input', {
    r: row * stride,
    c: col * stride,
    h: kh,
    w: kw,
    color: '#e6550d',
  });
  body += text(x2 - 28, top + (kh * cell) / 2 + 6, '⊙', { 'font-size': 20, fill: '#444' });
  body += numberGrid(kernel, x2, top, cell, 'kernel', { r: 0, c: 0, h: kh, w: kw, color: '#e6550d' });
  body += text(x3 - 28, top + (kh * cell) / 2 + 6, '=', { 'font-size': 20, fill: '#444' });
  body += numberGrid(
    output.map((r) => r.map((v) => Math.round(v * 1000) / 1000)),
    x3,
    top,
    cell,
    'output',
    { r: row, c: col, h: 1, w: 1, color: '#e6550d' },
    { r: row, c: col },
  );
  const paren = (v: number) => (v < 0 ? `(${fmt(v)})` : fmt(v));
  const terms = patch.flatMap((pr, r) => pr.map((p, c) => `${paren(p)}·${paren(kernel[r]![c]!)}`));
  const sum =
    terms.length <= 12
      ? `${terms.join(' + ')} = ${fmt(value)}`
      : `Σ patch × kernel (${terms.length} products) = ${fmt(value)}`;
  const bottom = top + Math.max(ih, oh) * cell + 24;
  body += text(20, bottom, sum, { 'font-size': 11, fill: '#222', class: 'formula' });
  const width = Math.max(x3 + ow * cell + 20, 20 + sum.length * 6.3);
  return { output, value, patch, figure: makeFigure(title, width, bottom + 16, body) };
}

/** Options of {@link poolingStep}. @public */
export interface PoolingStepOptions {
  /** The input grid (e.g. 4×4). */
  input: Grid2D;
  /** Window size (default 2). */
  size?: number;
  /** Step between windows (default: the window size). */
  stride?: number;
  /** `max` (default) or `avg`. */
  kind?: 'max' | 'avg';
  /** Which output row to explain (default 0). */
  row?: number;
  /** Which output column to explain (default 0). */
  col?: number;
  /** Heading of the figure. */
  title?: string;
}

/** One step of pooling, computed and drawn. @public */
export interface PoolingStep {
  /** The whole pooled output, from the engine's pooling op. */
  readonly output: number[][];
  /** The output at the explained position. */
  readonly value: number;
  /** The picture: input with the window outlined (its maximum in bold), and the output. */
  readonly figure: Figure;
}

/**
 * Explains pooling: a window slides over the input and keeps its largest value (max pooling) or its mean, shrinking
 * the map while keeping what was found. The output comes from the engine's `maxPool`/`avgPool`.
 * @public
 */
export async function poolingStep(opts: PoolingStepOptions): Promise<PoolingStep> {
  const input = await toRows('poolingStep', 'input', opts.input);
  const size = opts.size ?? 2;
  const stride = opts.stride ?? size;
  const kind = opts.kind ?? 'max';
  const [ih, iw] = [input.length, input[0]!.length];
  if (size > ih || size > iw)
    throw new ShapeError('poolingStep', `a window no larger than the input ${ih}×${iw}`, [size, size]);
  const out = tf.tidy(() => {
    const x = tf.tensor4d(input.flat(), [1, ih, iw, 1]);
    return kind === 'max' ? tf.maxPool(x, size, stride, 'valid') : tf.avgPool(x, size, stride, 'valid');
  });
  const [, oh, ow] = out.shape as [number, number, number, number];
  const flat = (await out.data()) as Float32Array;
  out.dispose();
  const output = Array.from({ length: oh }, (_, r) => Array.from(flat.subarray(r * ow, (r + 1) * ow)));
  const row = opts.row ?? 0;
  const col = opts.col ?? 0;
  if (row < 0 || row >= oh || col < 0 || col >= ow)
    throw new VizError('poolingStep', `position (${row}, ${col}) is outside the ${oh}×${ow} output.`);
  const value = output[row]![col]!;
  let arg = { r: row * stride, c: col * stride };
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++)
      if (input[row * stride + r]![col * stride + c]! > input[arg.r]![arg.c]!)
        arg = { r: row * stride + r, c: col * stride + c };
  const cell = Math.max(20, Math.min(34, Math.floor(260 / Math.max(ih, iw))));
  const x1 = 20;
  const x2 = x1 + iw * cell + 60;
  const top = 54;
  const title =
    opts.title ??
    `${kind === 'max' ? 'Max' : 'Average'} pooling ${size}×${size}, stride ${stride}: output (${row}, ${col})`;
  let body = text(10, 20, title, { 'font-size': 13, 'font-weight': 'bold', fill: '#111' });
  body += numberGrid(
    input,
    x1,
    top,
    cell,
    'input',
    { r: row * stride, c: col * stride, h: size, w: size, color: '#3182bd' },
    kind === 'max' ? arg : undefined,
  );
  body += text(x2 - 36, top + (ih * cell) / 2, '→', { 'font-size': 20, fill: '#444' });
  body += numberGrid(
    output.map((r) => r.map((v) => Math.round(v * 1000) / 1000)),
    x2,
    top,
    cell,
    'output',
    { r: row, c: col, h: 1, w: 1, color: '#3182bd' },
    { r: row, c: col },
  );
  const bottom = top + ih * cell + 24;
  body += text(20, bottom, `${kind} of the outlined window = ${fmt(value)}`, {
    'font-size': 11,
    fill: '#222',
    class: 'formula',
  });
  return { output, value, figure: makeFigure(title, Math.max(x2 + ow * cell + 20, 320), bottom + 16, body) };
}

/** Options of {@link kernelEffect}. @public */
export interface KernelEffectOptions {
  /** Heading of the figure. */
  title?: string;
  /** Name of the kernel, for the label (e.g. `Sobel x`). */
  kernelName?: string;
  /** Largest side the pictures are drawn at, in pixels (default 320). */
  maxSize?: number;
  /** Show the absolute response (edge strength) instead of its signed value (default false). */
  absolute?: boolean;
}

/**
 * An image before and after filtering with a kernel (e.g. a Sobel edge detector on a photograph): convolution as
 * filtering. Colour images are turned to grey (luma) first; the result keeps the image's size ('same' padding) and
 * is drawn on the diverging scale (or grey when `absolute`).
 *
 * @param image - `[h, w]`, `[h, w, 1]` or `[h, w, 3]`, values in any range
 * @param kernel - `[kh, kw]` grid or tensor
 * @returns the figure and the filtered image as a `[h, w]` tensor (the caller disposes it)
 * @public
 */
export async function kernelEffect(
  image: Tensor,
  kernel: Grid2D,
  opts: KernelEffectOptions = {},
): Promise<{ figure: Figure; filtered: Tensor }> {
  if (!(image.rank === 2 || (image.rank === 3 && (image.shape[2] === 1 || image.shape[2] === 3)))) {
    throw new ShapeError('kernelEffect', '[h, w], [h, w, 1] or [h, w, 3]', image.shape);
  }
  const k = await toRows('kernelEffect', 'kernel', kernel);
  const [hh, ww] = image.shape as [number, number];
  const [gray, filtered] = tf.tidy(() => {
    let g =
      image.rank === 2
        ? image
        : image.shape[2] === 1
          ? tf.squeeze(image, [2])
          : tf.sum(tf.mul(image, tf.tensor1d([0.299, 0.587, 0.114])), 2);
    g = tf.cast(g, 'float32');
    const y = tf.conv2d(
      tf.reshape(g, [1, hh, ww, 1]) as tf.Tensor4D,
      tf.tensor4d(k.flat(), [k.length, k[0]!.length, 1, 1]),
      1,
      'same',
    );
    const f = tf.reshape(opts.absolute ? tf.abs(y) : y, [hh, ww]);
    return [g, f];
  });
  const gv = (await gray.data()) as Float32Array;
  const fv = (await filtered.data()) as Float32Array;
  gray.dispose();
  // Large photographs shrink to fit; small images (a 28×28 digit) grow by whole pixels.
  const fit = (opts.maxSize ?? 320) / Math.max(hh, ww);
  const scale = fit >= 1 ? Math.floor(fit) : fit;
  const [dw, dh] = [Math.round(ww * scale), Math.round(hh * scale)];
  const title = opts.title ?? `Image before and after ${opts.kernelName ?? 'the kernel'}`;
  const images: PlacedImage[] = [
    {
      x: 10,
      y: 40,
      width: dw,
      height: dh,
      raster: valuesToRaster(gv, hh, ww, { colormap: 'gray' }),
      label: 'before',
    },
    {
      x: 30 + dw,
      y: 40,
      width: dw,
      height: dh,
      raster: valuesToRaster(fv, hh, ww, { colormap: opts.absolute ? 'gray' : 'diverging' }),
      label: 'after',
    },
  ];
  let body = text(10, 20, title, { 'font-size': 13, 'font-weight': 'bold', fill: '#111' });
  body += text(10, 35, 'before', { 'font-size': 11, fill: '#333' });
  body += text(
    30 + dw,
    35,
    k.length * k[0]!.length <= 9
      ? `after ${opts.kernelName ?? 'kernel'} ${k.map((r) => `[${r.map(fmt).join(' ')}]`).join('')}`
      : `after ${opts.kernelName ?? 'kernel'}`,
    { 'font-size': 11, fill: '#333' },
  );
  const afterLabel = `after ${opts.kernelName ?? 'kernel'}`;
  return {
    figure: makeFigure(
      title,
      Math.max(40 + 2 * dw, 20 + textWidth(title, 13, true), 50 + dw + textWidth(afterLabel, 11)),
      50 + dh,
      body,
      images,
    ),
    filtered,
  };
}
