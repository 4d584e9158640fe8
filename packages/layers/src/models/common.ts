import { NutshellError, tf, type Tensor } from '@nutshell/tensor';
import type { Layer, LayerWeight } from '../layer.js';
import { fmt, type Shape } from '../shape.js';
import type { ApplyOptions } from '../layer.js';

/** Runs `apply` over slices of `x` of at most `batchSize` examples and joins the results. @internal */
export function batchedPredict(name: string, x: Tensor, batchSize: number, apply: (x: Tensor, o: ApplyOptions) => Tensor): Tensor {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new NutshellError(`${name}.predict: batchSize must be a positive integer, got ${batchSize}.`);
  const n = x.shape[0];
  if (x.rank === 0 || n <= batchSize) return tf.tidy(() => apply(x, { training: false }));
  return tf.tidy(() => {
    const parts: Tensor[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(tf.tidy(() => apply(tf.slice(x, start, size), { training: false })));
    }
    return tf.concat(parts, 0);
  });
}

/** Throws if two different layers share a name (weights are saved by name). @internal */
export function checkUniqueNames(model: string, layers: readonly Layer[]): void {
  const seen = new Map<string, Layer>();
  for (const l of layers) {
    const other = seen.get(l.name);
    if (other && other !== l) throw new NutshellError(`${model}: two layers are named '${l.name}'; layer names must be unique within a model.`);
    seen.set(l.name, l);
  }
}

/** Every weight of a list of layers (a shared layer, or a layer also held inside another, counted once). @internal */
export function weightsOf(layers: readonly Layer[]): LayerWeight[] {
  const seen = new Set<LayerWeight['variable']>();
  return [...new Set(layers)].flatMap((l) => l.weights).filter((w) => !seen.has(w.variable) && seen.add(w.variable) !== undefined);
}

/** Sums layers' regularisation penalties. @internal */
export function sumRegularization(layers: readonly Layer[]): Tensor | null {
  const parts = [...new Set(layers)].map((l) => l.regularizationLoss()).filter((t): t is Tensor => t != null);
  if (parts.length === 0) return null;
  const total = tf.addN(parts);
  tf.dispose(parts);
  return total;
}

/** One row of a summary table. @internal */
export interface SummaryRow {
  layer: string;
  outputShape: Shape | null;
  params: number;
  connectedTo?: string;
}

/** Formats a summary table with totals. @internal */
export function formatSummary(title: string, rows: SummaryRow[], layers: readonly Layer[]): string {
  const withConn = rows.some((r) => r.connectedTo !== undefined);
  const header = ['Layer (type)', 'Output shape', 'Param #', ...(withConn ? ['Connected to'] : [])];
  const cells = rows.map((r) => [r.layer, r.outputShape ? fmt(r.outputShape) : '(not built)', r.params.toLocaleString('en-US'), ...(withConn ? [r.connectedTo ?? ''] : [])]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((s, i) => (i === 2 ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join('   ').trimEnd();
  const rule = (ch: string) => ch.repeat(widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1));
  const weights = weightsOf(layers);
  const total = weights.reduce((n, w) => n + w.variable.size, 0);
  const trainable = weights.reduce((n, w) => n + (w.trainable ? w.variable.size : 0), 0);
  return [
    `Model: "${title}"`,
    rule('_'),
    line(header),
    rule('='),
    ...cells.map(line),
    rule('='),
    `Total params: ${total.toLocaleString('en-US')}`,
    `Trainable params: ${trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`,
  ].join('\n');
}
