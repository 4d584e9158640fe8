import { sample, type ActivationFn } from '@nutshell/activations';
import { lineChart } from './chart.js';
import { VizError } from './errors.js';
import { composeFigures, type Figure } from './figure.js';

/** Options of {@link activationPlot}. @public */
export interface ActivationPlotOptions {
  /** Input range (default [-5, 5]). */
  range?: readonly [number, number];
  /** Sample points (default 201). */
  points?: number;
  /** Heading (default: the activation's name). */
  title?: string;
  /** Chart width in pixels. */
  width?: number;
  /** Chart height in pixels. */
  height?: number;
}

/**
 * An activation function and its derivative on one chart (from `@nutshell/activations`' `sample`, which
 * differentiates automatically): the shape that decides how a unit responds and how gradients pass through it —
 * e.g. the sigmoid's derivative never exceeds 0.25, the seed of the vanishing gradient.
 *
 * @param fn - a registered activation name (`'relu'`) or an activation function
 * @public
 */
export async function activationPlot(
  fn: string | ActivationFn,
  opts: ActivationPlotOptions = {},
): Promise<Figure> {
  const range = opts.range ?? [-5, 5];
  const pts = await sample(fn, range, { points: opts.points ?? 201 });
  const name = typeof fn === 'string' ? fn : fn.name || 'activation';
  const x = pts.map((p) => p.x);
  return lineChart({
    title: opts.title ?? name,
    series: [
      { name: 'f(x)', x, y: pts.map((p) => p.y) },
      { name: "f'(x)", x, y: pts.map((p) => p.dydx), dashed: true },
    ],
    xLabel: 'x',
    yRule: 0,
    points: false,
    width: opts.width ?? 300,
    height: opts.height ?? 220,
  });
}

/**
 * Several activation functions side by side, each with its derivative (see {@link activationPlot}).
 * @public
 */
export async function activationPlots(
  fns: readonly (string | ActivationFn)[],
  opts: ActivationPlotOptions & { columns?: number } = {},
): Promise<Figure> {
  if (fns.length === 0) throw new VizError('activationPlots', 'no activation functions given.');
  const figs: Figure[] = [];
  for (const f of fns) figs.push(await activationPlot(f, { ...opts, title: undefined }));
  return composeFigures(figs, {
    columns: opts.columns ?? 3,
    title: opts.title ?? 'Activation functions (solid) and their derivatives (dashed)',
  });
}
