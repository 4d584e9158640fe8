import { lineChart } from './chart.js';
import { VizError } from './errors.js';
import { composeFigures } from './figure.js';
import type { Figure } from './figure.js';

/** One training batch's values: the step and the loss and metrics measured on it. @public */
export interface BatchRecord {
  /** The 0-based update number. */
  readonly step: number;
  /** The batch's loss. */
  readonly loss: number;
  /** The batch's metrics, by name. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/**
 * Per-batch training curves: the loss and every metric against the step, as measured on each training batch (with
 * a running mean over about a twentieth of the steps, since single batches are noisy). What a report draws while
 * fewer than two epochs have finished, where per-epoch curves would be single dots.
 * @throws VizError when there are fewer than two batches
 * @public
 */
export function batchCurves(
  records: readonly BatchRecord[],
  opts: { title?: string; columns?: number } = {},
): Figure {
  if (!records || records.length < 2)
    throw new VizError('batchCurves', `needs at least two batches, got ${records?.length ?? 0}.`);
  const x = records.map((r) => r.step);
  const names = ['loss', ...new Set(records.flatMap((r) => Object.keys(r.metrics ?? {})))];
  const window = Math.max(1, Math.round(records.length / 20));
  const figs = names.map((name) => {
    const y = records.map((r) => (name === 'loss' ? r.loss : (r.metrics?.[name] ?? NaN)));
    const series = [{ name: 'batch', x, y, color: '#9bb7d4' }];
    if (window > 1)
      series.push({ name: `mean of ${window}`, x, y: runningMean(y, window), color: '#1f4e79' });
    return lineChart({ title: name, series, xLabel: 'step' });
  });
  return composeFigures(figs, {
    columns: opts.columns ?? 3,
    title: opts.title ?? `Training curves per batch (${records.length} steps)`,
  });
}

/** The mean of the last `w` values at each position (fewer at the start). */
function runningMean(y: readonly number[], w: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    sum += y[i];
    if (i >= w) sum -= y[i - w];
    out.push(sum / Math.min(i + 1, w));
  }
  return out;
}
