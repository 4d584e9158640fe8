// Gate activations and cell state over the steps of one sequence: one heat map per gate, units down, time across.
import type { Colormap } from './color.js';
import { colorbar } from './colorbar.js';
import { VizError } from './errors.js';
import { makeFigure, type Figure, type PlacedImage } from './figure.js';
import { valuesToRaster } from './raster.js';
import { text } from './svg.js';

/** One row of {@link gateHeatmaps}: a named quantity, one array of unit values per step. @public */
export interface GateRow {
  /** The name drawn at the left, e.g. `forget gate f`. */
  readonly name: string;
  /** `values[step][unit]`. */
  readonly values: readonly (readonly number[])[];
  /** Colour map (default: `viridis` over [0, 1] for gates, see `min`/`max`). */
  readonly colormap?: Colormap;
  /** Value at the bottom of the scale (default 0, or −max|v| with `diverging`). */
  readonly min?: number;
  /** Value at the top of the scale (default 1, or max|v| with `diverging`). */
  readonly max?: number;
}

/** Options of {@link gateHeatmaps}. @public */
export interface GateHeatmapsOptions {
  /** Heading (default `Gates and memory over the steps`). */
  readonly title?: string;
  /** Pixels per step (default: fits 600 px). */
  readonly stepWidth?: number;
  /** Pixels per unit (default 6). */
  readonly unitHeight?: number;
  /** Caption under the time axis. */
  readonly xLabel?: string;
}

/** An LSTM's gates and memory over one sequence, `[step][unit]` each: what `traceLSTM` returns. @public */
export interface LSTMGateTrace {
  readonly input: readonly (readonly number[])[];
  readonly forget: readonly (readonly number[])[];
  readonly candidate: readonly (readonly number[])[];
  readonly output: readonly (readonly number[])[];
  readonly cell: readonly (readonly number[])[];
}

/**
 * The usual rows of an LSTM picture for {@link gateHeatmaps}: gates i and f on [0, 1], the candidate c̃ on [−1, 1]
 * (diverging), gate o, then the memory c (diverging, scaled to its largest magnitude).
 * @public
 */
export function lstmGateRows(t: LSTMGateTrace): GateRow[] {
  return [
    { name: 'input gate i', values: t.input },
    { name: 'forget gate f', values: t.forget },
    { name: 'candidate c\u0303', values: t.candidate, colormap: 'diverging', min: -1, max: 1 },
    { name: 'output gate o', values: t.output },
    { name: 'memory c', values: t.cell, colormap: 'diverging' },
  ];
}

/**
 * Heat maps of a recurrent unit's internals over one sequence: one row per gate (or the cell state), units
 * down, steps across, so a forget gate held open (bright, near 1) while the memory stays constant is visible at a
 * glance. Feed it `traceLSTM(layer, x)` from `@nutshell/recurrent`:
 *
 * @example
 * ```ts
 * const t = await traceLSTM(lstm, x);
 * const fig = gateHeatmaps(lstmGateRows(t), { xLabel: 'step' });
 * // or pick rows: gateHeatmaps([{ name: 'forget gate f', values: t.forget }])
 * ```
 * @public
 */
export function gateHeatmaps(rows: readonly GateRow[], opts: GateHeatmapsOptions = {}): Figure {
  if (rows.length === 0) throw new VizError('gateHeatmaps', 'no rows to draw.');
  const steps = rows[0]!.values.length;
  const units = rows[0]!.values[0]?.length ?? 0;
  for (const r of rows) {
    if (r.values.length !== steps || r.values.some((v) => v.length !== units) || steps === 0 || units === 0) {
      throw new VizError(
        'gateHeatmaps',
        `row "${r.name}" must hold ${steps} steps of ${units} units (every row the same, none empty).`,
      );
    }
  }
  const labelW = 110;
  const sw = opts.stepWidth ?? Math.max(1, Math.floor(600 / steps));
  const uh = opts.unitHeight ?? 6;
  const w = steps * sw;
  const hgt = units * uh;
  const images: PlacedImage[] = [];
  let body = '';
  let y = 40;
  for (const r of rows) {
    const colormap = r.colormap ?? 'viridis';
    const flat = new Float32Array(units * steps);
    for (let u = 0; u < units; u++) for (let t = 0; t < steps; t++) flat[u * steps + t] = r.values[t]![u]!;
    const scale =
      colormap === 'diverging' ? { min: r.min, max: r.max } : { min: r.min ?? 0, max: r.max ?? 1 };
    images.push({
      x: labelW,
      y,
      width: w,
      height: hgt,
      raster: valuesToRaster(flat, units, steps, { colormap, ...scale }),
      label: r.name,
    });
    body += text(labelW - 8, y + hgt / 2 + 4, r.name, {
      'text-anchor': 'end',
      'font-size': 11,
      fill: '#222',
    });
    y += hgt + 12;
  }
  body += text(labelW, y + 4, '1', { 'font-size': 9, fill: '#444' });
  body += text(labelW + w, y + 4, String(steps), { 'font-size': 9, fill: '#444', 'text-anchor': 'end' });
  body += text(labelW + w / 2, y + 4, opts.xLabel ?? 'step →  (units ↓)', {
    'font-size': 10,
    fill: '#444',
    'text-anchor': 'middle',
  });
  const bar = colorbar('viridis', labelW, y + 16, Math.min(200, w), '0 (closed)', 'gate', '1 (open)');
  images.push(bar.image);
  body += bar.body;
  body += text(labelW, 22, opts.title ?? 'Gates and memory over the steps', {
    'font-size': 14,
    'font-weight': 'bold',
    fill: '#111',
  });
  return makeFigure(opts.title ?? 'Gates and memory over the steps', labelW + w + 20, y + 50, body, images);
}
