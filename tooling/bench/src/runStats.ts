// Small helpers shared by the interleaved benchmark scripts: medians, the load average, the machine line.
import { cpus, loadavg } from 'node:os';

/** The median of some numbers (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** Node version, core count and CPU model, for the line above every table. */
export function machine(): string {
  return `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`;
}

/** The current UTC time as `2026-12-05 23:05 UTC`. */
export function utcNow(): string {
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `items` rotated left by `by` places: each round starts with a different peer, so none always runs first. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const n = items.length;
  if (!n) return [];
  const k = ((by % n) + n) % n;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** A number with thousands separators and no decimals (samples/s). */
export function fmtInt(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

/** A ratio as `1.23×`, or `–` when either side is missing. */
export function fmtRatio(v: number): string {
  return Number.isFinite(v) && v > 0 ? `${v.toFixed(2)}×` : '–';
}

/** The `min–max` range of per-round ratios, or '' with fewer than two. */
export function fmtRange(values: readonly number[]): string {
  const ok = values.filter((v) => Number.isFinite(v) && v > 0);
  if (ok.length < 2) return '';
  return `${Math.min(...ok).toFixed(2)}–${Math.max(...ok).toFixed(2)}`;
}
