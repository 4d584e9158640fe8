import { lineChart } from './chart.js';
import { colorAt, hex, seriesColor } from './color.js';
import { VizError } from './errors.js';
import { composeFigures, type Figure } from './figure.js';

/**
 * Gradient norms of one training step, by weight name (`dense_1/kernel`): what `@nutshell/train`'s `batchEnd` event
 * carries when `trackGradientNorms` is on.
 * @public
 */
export interface GradientNormRecord {
  /** Training step (0-based, counted over the whole run). */
  readonly step: number;
  /** L2 norm of each weight's gradient, by weight name. */
  readonly gradNorms: Readonly<Record<string, number>>;
}

/**
 * Collects gradient norms while a model trains. Feed it `batchEnd` events (`recorder.record(event)`), or let
 * {@link GradientFlowRecorder.attach} subscribe to a trainer.
 * @public
 */
export class GradientFlowRecorder {
  /** The recorded steps, in order. */
  readonly records: GradientNormRecord[] = [];
  /** Keep every n-th step only (default 1: all). */
  readonly every: number;
  constructor(opts: { every?: number } = {}) {
    this.every = Math.max(1, opts.every ?? 1);
  }
  /** Records a step's norms; events without `gradNorms` are ignored. */
  record(event: { step: number; gradNorms?: Readonly<Record<string, number>> }): void {
    if (!event.gradNorms || event.step % this.every !== 0) return;
    this.records.push({ step: event.step, gradNorms: { ...event.gradNorms } });
  }
  /** Subscribes to a trainer's `batchEnd` events (fit with `trackGradientNorms: true`). Returns the recorder. */
  attach(trainer: { on: (...args: any[]) => unknown }): this {
    trainer.on('batchEnd', (e: { step: number; gradNorms?: Record<string, number> }) => this.record(e));
    return this;
  }
}

/** Options of the gradient-flow charts. @public */
export interface GradientFlowOptions {
  /** Heading of the figure. */
  title?: string;
  /** Which weights count: `kernels` (default; the weights that multiply, not the biases) or `all`. */
  include?: 'kernels' | 'all';
}

const MAX_POINTS = 400;

function binned(values: readonly number[], size: number, reduce: (v: number[]) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += size) out.push(reduce(values.slice(i, i + size)));
  return out;
}

function geometricMean(v: number[]): number {
  const positive = v.filter((x) => x > 0);
  return positive.length ? Math.exp(positive.reduce((a, x) => a + Math.log(x), 0) / positive.length) : 0;
}

/** A weight's layer: the part of its name before the last `/`. */
function layerOf(weight: string): string {
  const i = weight.lastIndexOf('/');
  return i < 0 ? weight : weight.slice(0, i);
}

/**
 * Per-layer gradient norms, the layers in the order their weights first appear (input to output), combining a
 * layer's weights as the root of the sum of their squared norms.
 * @public
 */
export function gradientNormsByLayer(
  records: readonly GradientNormRecord[],
  opts: GradientFlowOptions = {},
): { layers: string[]; steps: number[]; norms: number[][]; mean: number[] } {
  if (records.length === 0) {
    throw new VizError(
      'gradientFlow',
      'no gradient norms were recorded; fit with trackGradientNorms: true and record the batchEnd events.',
    );
  }
  const layers: string[] = [];
  const keep = (w: string) =>
    (opts.include ?? 'kernels') === 'all' || !/(^|\/)(bias|beta|gamma|moving_\w+)$/.test(w);
  for (const r of records)
    for (const w of Object.keys(r.gradNorms))
      if (keep(w) && !layers.includes(layerOf(w))) layers.push(layerOf(w));
  const norms = layers.map((l) =>
    records.map((r) => {
      let s = 0;
      for (const [w, v] of Object.entries(r.gradNorms)) if (keep(w) && layerOf(w) === l) s += v * v;
      return Math.sqrt(s);
    }),
  );
  const mean = norms.map((row) => row.reduce((a, b) => a + b, 0) / row.length);
  return { layers, steps: records.map((r) => r.step), norms, mean };
}

/**
 * Gradient flow: how large each layer's gradient is over training (left, log scale, one line per layer coloured
 * from the first layer (dark) to the last (light)) and on average by depth (right). A vanishing gradient shows as
 * early layers' norms decades below the last ones'.
 * @public
 */
export function gradientFlowChart(
  records: readonly GradientNormRecord[],
  opts: GradientFlowOptions = {},
): Figure {
  const { layers, steps: allSteps, norms: allNorms, mean } = gradientNormsByLayer(records, opts);
  // Long runs are drawn as at most MAX_POINTS points per layer: geometric means of consecutive steps (log scale).
  const bin = Math.ceil(allSteps.length / MAX_POINTS);
  const steps = bin > 1 ? binned(allSteps, bin, (v) => v.reduce((a, b) => a + b, 0) / v.length) : allSteps;
  const norms = bin > 1 ? allNorms.map((row) => binned(row, bin, geometricMean)) : allNorms;
  const color = (i: number) =>
    hex(colorAt('viridis', layers.length > 1 ? (0.85 * i) / (layers.length - 1) : 0));
  const overTime = lineChart({
    title: 'gradient norm per layer',
    series: layers.map((l, i) => ({
      name: i === 0 || i === layers.length - 1 ? l : '',
      x: steps,
      y: norms[i]!,
      color: color(i),
    })),
    xLabel: 'step',
    yScale: 'log',
    points: false,
    width: 420,
  });
  const byDepth = lineChart({
    title: 'mean gradient norm by depth',
    series: [{ name: 'mean |g|', x: layers.map((_, i) => i + 1), y: mean, color: '#333' }],
    xLabel: 'layer (1 = first)',
    yScale: 'log',
    points: true,
    width: 340,
  });
  return composeFigures([overTime, byDepth], { title: opts.title ?? 'Gradient flow' });
}

/**
 * Compares the gradient flow of several networks (e.g. 10 sigmoid layers vs 10 ReLU layers): mean gradient norm by
 * depth, one line per network, log scale.
 * @public
 */
export function gradientFlowComparison(
  runs: Readonly<Record<string, readonly GradientNormRecord[]>>,
  opts: GradientFlowOptions = {},
): Figure {
  const names = Object.keys(runs);
  if (names.length === 0) throw new VizError('gradientFlowComparison', 'no runs to compare.');
  return lineChart({
    title: opts.title ?? 'Mean gradient norm by layer depth',
    series: names.map((n, i) => {
      const { mean } = gradientNormsByLayer(runs[n]!, opts);
      return { name: n, x: mean.map((_, j) => j + 1), y: mean, color: seriesColor(i) };
    }),
    xLabel: 'layer (1 = first, nearest the input)',
    yLabel: 'gradient norm',
    yScale: 'log',
    points: true,
    width: 480,
    height: 300,
  });
}
