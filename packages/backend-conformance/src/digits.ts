import type { DigitsData } from './report.js';

/**
 * Parses the digits CSV (65 integers a row: 64 pixels 0..16, then the label; no header).
 * @public
 */
export function parseDigitsCsv(text: string): DigitsData {
  const rows = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const x = new Float32Array(rows.length * 64);
  const y = new Int32Array(rows.length);
  rows.forEach((line, r) => {
    const cells = line.split(',');
    if (cells.length !== 65) throw new Error(`digits CSV: row ${r + 1} has ${cells.length} values, expected 65`);
    for (let i = 0; i < 64; i++) x[r * 64 + i] = Number(cells[i]);
    y[r] = Number(cells[64]);
  });
  return { x, y, n: rows.length };
}

let cached: DigitsData | undefined;

/**
 * Loads the copy of the 8×8 digits shipped in this package (`data/digits.csv.gz`). Node only; in a browser
 * pass `digits` to `runConformance` instead.
 * @public
 */
export async function loadPackagedDigits(): Promise<DigitsData> {
  if (cached) return cached;
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') {
    throw new Error('loadPackagedDigits reads files and needs Node; in a browser pass options.digits (see parseDigitsCsv).');
  }
  // Specifiers in variables, so that browser bundlers do not try to resolve Node built-ins.
  const fsName = 'node:fs/promises';
  const zlibName = 'node:zlib';
  const [fs, zlib] = (await Promise.all([import(/* @vite-ignore */ fsName), import(/* @vite-ignore */ zlibName)])) as [
    typeof import('node:fs/promises'),
    typeof import('node:zlib'),
  ];
  const gz = await fs.readFile(new URL('../data/digits.csv.gz', import.meta.url));
  cached = parseDigitsCsv(zlib.gunzipSync(gz).toString('utf8'));
  return cached;
}
