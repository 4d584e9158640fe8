import { tf, type Tensor } from '@nutshell/tensor';
import { barChart } from './chart.js';
import { colorAt, hex } from './color.js';
import { VizError } from './errors.js';
import { makeFigure, type Figure } from './figure.js';
import { h, text } from './svg.js';

/** Class labels as numbers, or a tensor of them (`[n]`), or of scores/one-hot rows (`[n, classes]`, arg-maxed). @public */
export type LabelsLike = ArrayLike<number> | Tensor;

async function toLabels(op: string, what: string, v: LabelsLike, threshold: number): Promise<Int32Array> {
  if (v instanceof tf.Tensor) {
    if (v.rank === 2) {
      // One column is a binary model's score (class 1 above the threshold); several are arg-maxed.
      const a = tf.tidy(() =>
        v.shape[1] === 1 ? tf.cast(tf.greater(tf.reshape(v, [-1]), threshold), 'int32') : tf.argMax(v, 1),
      );
      const out = Int32Array.from((await a.data()) as Int32Array);
      a.dispose();
      return out;
    }
    if (v.rank !== 1)
      throw new VizError(
        op,
        `${what} must be labels [n] or scores [n, classes], got shape [${v.shape.join(', ')}].`,
      );
    return Int32Array.from((await v.data()) as ArrayLike<number>);
  }
  return Int32Array.from(v as ArrayLike<number>);
}

/** Options of {@link confusionMatrix}. @public */
export interface ConfusionMatrixCountOptions {
  /**
   * For a binary model's `[n, 1]` scores: class 1 when the score is above this (default 0, for logits, which
   * Nutshell's models output; use 0.5 for probabilities).
   */
  binaryThreshold?: number;
}

/**
 * Counts a confusion matrix: `matrix[t][p]` is how many examples of true class `t` were predicted as `p`.
 * Accepts label arrays or tensors; a `[n, classes]` tensor (scores or one-hot) is arg-maxed, a `[n, 1]` tensor (a
 * binary model's scores) is thresholded. Reads asynchronously.
 * @public
 */
export async function confusionMatrix(
  labels: LabelsLike,
  predictions: LabelsLike,
  numClasses?: number,
  opts: ConfusionMatrixCountOptions = {},
): Promise<number[][]> {
  const threshold = opts.binaryThreshold ?? 0;
  const t = await toLabels('confusionMatrix', 'labels', labels, threshold);
  const p = await toLabels('confusionMatrix', 'predictions', predictions, threshold);
  if (t.length !== p.length)
    throw new VizError('confusionMatrix', `${t.length} labels but ${p.length} predictions.`);
  if (t.length === 0) throw new VizError('confusionMatrix', 'no examples to count.');
  let n = numClasses ?? 0;
  if (numClasses == null) for (let i = 0; i < t.length; i++) n = Math.max(n, t[i]! + 1, p[i]! + 1);
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < t.length; i++) {
    const a = t[i]!;
    const b = p[i]!;
    if (a < 0 || a >= n || b < 0 || b >= n)
      throw new VizError(
        'confusionMatrix',
        `example ${i} has class ${a < 0 || a >= n ? a : b}, outside 0..${n - 1}.`,
      );
    m[a]![b]!++;
  }
  return m;
}

function checkMatrix(op: string, m: readonly (readonly number[])[]): void {
  if (m.length === 0 || m.some((r) => r.length !== m.length))
    throw new VizError(op, `expected a square, non-empty matrix, got ${m.length} rows.`);
}

/** Options of {@link confusionMatrixChart}. @public */
export interface ConfusionMatrixOptions {
  /** Names of the classes, by index (default: the indices). */
  classNames?: readonly string[];
  /** Heading (default: with the accuracy and count). */
  title?: string;
  /** Cell size in pixels (default: fits 10 classes in about 360 px). */
  cellSize?: number;
}

/**
 * A confusion matrix as a heat map: rows are true classes, columns predicted ones; each cell (`<rect class="cell">`)
 * holds its count and is shaded by the fraction of its row, so the diagonal is the per-class recall.
 * @public
 */
export function confusionMatrixChart(
  matrix: readonly (readonly number[])[],
  opts: ConfusionMatrixOptions = {},
): Figure {
  checkMatrix('confusionMatrixChart', matrix);
  const n = matrix.length;
  const cell = opts.cellSize ?? Math.max(14, Math.min(40, Math.floor(360 / n)));
  const names = matrix.map((_, i) => opts.classNames?.[i] ?? String(i));
  const left = 60 + Math.max(...names.map((s) => s.length)) * 5;
  const top = 60;
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  const correct = matrix.reduce((a, r, i) => a + r[i]!, 0);
  const title =
    opts.title ??
    `Confusion matrix (accuracy ${((100 * correct) / Math.max(1, total)).toFixed(1)}% of ${total})`;
  let body = text(10, 20, title, { 'font-size': 13, 'font-weight': 'bold', fill: '#111' });
  matrix.forEach((row, r) => {
    const rowSum = row.reduce((a, b) => a + b, 0);
    body += text(left - 6, top + r * cell + cell / 2 + 4, names[r]!, { 'text-anchor': 'end', fill: '#333' });
    row.forEach((v, c) => {
      const frac = rowSum ? v / rowSum : 0;
      body += h('rect', {
        x: left + c * cell,
        y: top + r * cell,
        width: cell,
        height: cell,
        fill: hex(colorAt('magma', 1 - frac * 0.85)),
        stroke: '#fff',
        class: 'cell',
      });
      if (cell >= 16 && v > 0) {
        body += text(left + c * cell + cell / 2, top + r * cell + cell / 2 + 4, String(v), {
          'text-anchor': 'middle',
          'font-size': cell >= 30 ? 10 : 8,
          fill: frac > 0.5 ? '#fff' : '#111',
        });
      }
    });
  });
  names.forEach((s, c) => {
    body += text(left + c * cell + cell / 2, top - 6, s, { 'text-anchor': 'middle', fill: '#333' });
  });
  body += text(left + (n * cell) / 2, top - 22, 'predicted', {
    'text-anchor': 'middle',
    fill: '#222',
    'font-style': 'italic',
  });
  body += text(14, top + (n * cell) / 2, 'true', {
    'text-anchor': 'middle',
    fill: '#222',
    'font-style': 'italic',
    transform: `rotate(-90 14 ${top + (n * cell) / 2})`,
  });
  return makeFigure(
    title,
    Math.max(left + n * cell + 20, 20 + title.length * 8.2),
    top + n * cell + 16,
    body,
  );
}

/**
 * Per-class accuracy (recall: correct / examples of the class) from a confusion matrix, as bars.
 * @public
 */
export function perClassAccuracyChart(
  matrix: readonly (readonly number[])[],
  opts: { classNames?: readonly string[]; title?: string } = {},
): Figure {
  checkMatrix('perClassAccuracyChart', matrix);
  const values = matrix.map((row, i) => {
    const s = row.reduce((a, b) => a + b, 0);
    return s ? row[i]! / s : NaN;
  });
  return barChart({
    title: opts.title ?? 'Per-class accuracy',
    labels: matrix.map((_, i) => opts.classNames?.[i] ?? String(i)),
    values,
    yDomain: [0, 1],
    yLabel: 'accuracy',
    valueDecimals: 2,
  });
}
