import { lineChart } from './chart.js';
import { VizError } from './errors.js';
import { composeFigures, type Figure } from './figure.js';

/**
 * A training history: per finished epoch, the logged values (`loss`, `accuracy`, `val_loss`, `val_accuracy`, `lr`,
 * ...). `@nutshell/train`'s `History` fits.
 * @public
 */
export interface HistoryLike {
  /** The finished epochs, in order. */
  readonly epochs: readonly number[];
  /** `logs[name][i]` is the value of `name` after `epochs[i]`. */
  readonly logs: Readonly<Record<string, readonly number[]>>;
}

/** Options of {@link trainingCurves}. @public */
export interface TrainingCurvesOptions {
  /** Heading (default: with the number of epochs). */
  title?: string;
  /** Learning rate per epoch, when the history does not log `lr`. */
  learningRates?: readonly number[];
  /** Charts per row (default 3). */
  columns?: number;
}

/** Throws a clear error for a history with nothing to draw. */
export function assertHistory(op: string, history: HistoryLike | undefined): void {
  if (
    !history ||
    !Array.isArray(history.epochs) ||
    history.epochs.length === 0 ||
    Object.keys(history.logs ?? {}).length === 0
  ) {
    throw new VizError(
      op,
      'the training history is empty (no epoch has finished, nothing was logged); train for at least one epoch first.',
    );
  }
}

/**
 * Training curves: the loss and every metric, training (solid) against validation (dashed), and the learning rate
 * (log scale) when it was logged. One chart per quantity, laid out side by side.
 * @throws VizError for an empty history
 * @public
 */
export function trainingCurves(history: HistoryLike, opts: TrainingCurvesOptions = {}): Figure {
  assertHistory('trainingCurves', history);
  const x = [...history.epochs];
  const keys = Object.keys(history.logs);
  const base = keys.filter((k) => !k.startsWith('val_') && k !== 'lr' && k !== 'seconds');
  for (const k of keys) if (k.startsWith('val_') && !base.includes(k.slice(4))) base.push(k.slice(4));
  base.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  const figs: Figure[] = [];
  for (const k of base) {
    const series = [];
    if (history.logs[k]) series.push({ name: 'train', x, y: [...history.logs[k]!] });
    if (history.logs[`val_${k}`])
      series.push({ name: 'validation', x, y: [...history.logs[`val_${k}`]!], dashed: true });
    figs.push(lineChart({ title: k, series, xLabel: 'epoch' }));
  }
  const lr = history.logs.lr ?? opts.learningRates;
  if (lr && lr.some((v) => v > 0)) {
    figs.push(
      lineChart({
        title: 'learning rate',
        series: [{ name: 'lr', x: x.slice(0, lr.length), y: [...lr], color: '#555' }],
        xLabel: 'epoch',
        yScale: 'log',
      }),
    );
  }
  return composeFigures(figs, {
    columns: opts.columns ?? 3,
    title: opts.title ?? `Training curves (${x.length} epoch${x.length === 1 ? '' : 's'})`,
  });
}
