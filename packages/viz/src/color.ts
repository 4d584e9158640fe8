import { interpolateRdBu, interpolateViridis, interpolateMagma, schemeTableau10 } from 'd3-scale-chromatic';

/**
 * How values are turned into colours. `diverging` is blue (negative), white (zero), red (positive) and suits weights;
 * `viridis` and `magma` are perceptually uniform sequential scales for activations; `gray` is black to white.
 * @public
 */
export type Colormap = 'diverging' | 'viridis' | 'magma' | 'gray';

/** An RGB colour with 0..255 channels. @public */
export type Rgb = readonly [number, number, number];

const LUT_SIZE = 256;
const luts = new Map<Colormap, Uint8Array>();

function parseColor(c: string): Rgb {
  if (c.startsWith('#'))
    return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(c);
  if (!m) throw new Error(`unparseable colour ${c}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function lut(map: Colormap): Uint8Array {
  let table = luts.get(map);
  if (table) return table;
  table = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const t = i / (LUT_SIZE - 1);
    let rgb: Rgb;
    if (map === 'gray') rgb = [i, i, i];
    else if (map === 'diverging')
      rgb = parseColor(interpolateRdBu(1 - t)); // RdBu runs red→blue; we want blue→red
    else if (map === 'magma') rgb = parseColor(interpolateMagma(t));
    else rgb = parseColor(interpolateViridis(t));
    table.set(rgb, i * 3);
  }
  luts.set(map, table);
  return table;
}

/**
 * The colour of `t` in [0, 1] on a colour map (values outside are clamped; NaN maps to 0).
 * @public
 */
export function colorAt(map: Colormap, t: number): Rgb {
  const table = lut(map);
  const i = Number.isFinite(t) ? Math.round(Math.min(1, Math.max(0, t)) * (LUT_SIZE - 1)) : 0;
  return [table[i * 3]!, table[i * 3 + 1]!, table[i * 3 + 2]!];
}

/** A CSS hex string for an RGB colour. */
export function hex(rgb: Rgb): string {
  return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The i-th colour of a categorical palette (Tableau 10), for lines and bars of different series.
 * @public
 */
export function seriesColor(i: number): string {
  return schemeTableau10[((i % 10) + 10) % 10]!;
}
