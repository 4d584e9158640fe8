// Charts are d3-scale (ticks, log scales, nice domains) and d3-shape (line paths) turned into SVG strings:
// no DOM, so they run unchanged in Node and browsers.
import { scaleBand, scaleLinear, scaleLog, type ScaleLinear, type ScaleLogarithmic } from 'd3-scale';
import { line } from 'd3-shape';
import { seriesColor } from './color.js';
import { VizError } from './errors.js';
import { makeFigure, type Figure } from './figure.js';
import { h, num, text } from './svg.js';

/** One line of a {@link lineChart}. @public */
export interface LineSeries {
  /** Name in the legend (an empty name is left out of it). */
  readonly name: string;
  /** x values, one per point. */
  readonly x: readonly number[];
  /** y values, one per point (non-finite values leave a gap). */
  readonly y: readonly number[];
  /** CSS colour; default: the series' colour in the categorical palette. */
  readonly color?: string;
  /** Draw dashed (e.g. validation next to training). */
  readonly dashed?: boolean;
}

/** Options of {@link lineChart}. @public */
export interface LineChartOptions {
  /** Heading of the chart. */
  readonly title: string;
  /** The lines to draw. */
  readonly series: readonly LineSeries[];
  /** Caption of the x axis. */
  readonly xLabel?: string;
  /** Caption of the y axis. */
  readonly yLabel?: string;
  /** `log` for quantities spanning decades (gradient norms, learning rates). Non-positive values are skipped. */
  readonly yScale?: 'linear' | 'log';
  /** Fixed y range instead of the data's. */
  readonly yDomain?: readonly [number, number];
  /** Draw a dot on each point (default: when no series has more than 40 points). */
  readonly points?: boolean;
  /** Horizontal reference line (e.g. y = 0). */
  readonly yRule?: number;
  /** Chart width in pixels (default 380). */
  readonly width?: number;
  /** Chart height in pixels (default 250). */
  readonly height?: number;
}

const M = { top: 44, right: 14, bottom: 40, left: 58 };

type YScale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

function axes(
  x: ScaleLinear<number, number>,
  y: YScale,
  w: number,
  hgt: number,
  xLabel?: string,
  yLabel?: string,
  log = false,
  integerX = false,
): string {
  let s = '';
  const [y0, y1] = y.range() as [number, number];
  // Whole-number data (epochs, steps, layers) gets whole-number ticks only.
  const xt = x
    .ticks(Math.max(2, Math.floor((w - M.left - M.right) / 60)))
    .filter((t) => !integerX || Number.isInteger(t));
  const fx = integerX ? (t: number) => String(t) : x.tickFormat(xt.length);
  for (const t of xt) {
    const px = x(t);
    s += h('line', { x1: px, x2: px, y1: y0, y2: y1, stroke: '#eee' });
    s += text(px, y0 + 14, fx(t), { 'text-anchor': 'middle', fill: '#444' });
  }
  const yt = log
    ? (y as ScaleLogarithmic<number, number>).ticks(5)
    : (y as ScaleLinear<number, number>).ticks(5);
  // On a log axis label the powers of ten; when the axis spans few decades also 2× and 5× them.
  const [d0, d1] = y.domain() as [number, number];
  const few = log && Math.abs(Math.log10(d1 / d0)) < 2.5;
  const fy = log
    ? (v: number) => {
        const lead = Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
        return lead === 1 || (few && (lead === 2 || lead === 5)) ? v.toExponential(0) : '';
      }
    : (y as ScaleLinear<number, number>).tickFormat(5);
  for (const t of yt) {
    const py = y(t);
    const label = fy(t);
    if (!label && log) continue;
    s += h('line', { x1: M.left, x2: w - M.right, y1: py, y2: py, stroke: '#eee' });
    s += text(M.left - 5, py + 3.5, label, { 'text-anchor': 'end', fill: '#444' });
  }
  s += h('path', {
    d: `M${num(M.left)},${num(y1)}V${num(y0)}H${num(w - M.right)}`,
    fill: 'none',
    stroke: '#888',
    class: 'axis',
  });
  if (xLabel)
    s += text((M.left + w - M.right) / 2, hgt - 6, xLabel, { 'text-anchor': 'middle', fill: '#222' });
  if (yLabel)
    s += text(14, (y0 + y1) / 2, yLabel, {
      'text-anchor': 'middle',
      fill: '#222',
      transform: `rotate(-90 14 ${num((y0 + y1) / 2)})`,
    });
  return s;
}

function legend(items: { name: string; color: string; dashed?: boolean }[], x: number, y: number): string {
  let s = '';
  let cx = x;
  for (const it of items) {
    if (!it.name) continue;
    s += h('line', {
      x1: cx,
      x2: cx + 16,
      y1: y,
      y2: y,
      stroke: it.color,
      'stroke-width': 2,
      'stroke-dasharray': it.dashed ? '4 3' : undefined,
    });
    s += text(cx + 20, y + 4, it.name, { fill: '#222' });
    cx += 28 + it.name.length * 6.2;
  }
  return h('g', { class: 'legend' }, s);
}

/**
 * A line chart of one or more series. Each series is one `<path class="series">`; dots are `<circle class="point">`.
 * @public
 */
export function lineChart(opts: LineChartOptions): Figure {
  const w = opts.width ?? 380;
  const hgt = opts.height ?? 250;
  const log = opts.yScale === 'log';
  const ok = (v: number) => Number.isFinite(v) && (!log || v > 0);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of opts.series) {
    if (s.x.length !== s.y.length)
      throw new VizError(
        'lineChart',
        `series "${s.name}" has ${s.x.length} x values but ${s.y.length} y values.`,
      );
    s.x.forEach((xv, i) => {
      if (ok(s.y[i]!)) {
        xs.push(xv);
        ys.push(s.y[i]!);
      }
    });
  }
  if (xs.length === 0)
    throw new VizError('lineChart', `"${opts.title}" has no finite${log ? ' positive' : ''} points to draw.`);
  const xmin = Math.min(...xs);
  const xmax = Math.max(...xs);
  const x = scaleLinear()
    .domain(xmin === xmax ? [xmin - 1, xmax + 1] : [xmin, xmax])
    .range([M.left, w - M.right]);
  let lo = opts.yDomain?.[0] ?? Math.min(...ys, ...(opts.yRule != null ? [opts.yRule] : []));
  let hi = opts.yDomain?.[1] ?? Math.max(...ys, ...(opts.yRule != null ? [opts.yRule] : []));
  if (lo === hi) {
    lo = log ? lo / 2 : lo - 1;
    hi = log ? hi * 2 : hi + 1;
  }
  const y: YScale = log
    ? scaleLog()
        .domain([lo, hi])
        .range([hgt - M.bottom, M.top])
        .nice()
    : scaleLinear()
        .domain([lo, hi])
        .range([hgt - M.bottom, M.top])
        .nice();
  let body = axes(x, y, w, hgt, opts.xLabel, opts.yLabel, log, xs.every(Number.isInteger));
  if (opts.yRule != null)
    body += h('line', {
      x1: M.left,
      x2: w - M.right,
      y1: y(opts.yRule),
      y2: y(opts.yRule),
      stroke: '#999',
      'stroke-dasharray': '2 2',
    });
  const showPoints = opts.points ?? opts.series.every((s) => s.x.length <= 40);
  const items: { name: string; color: string; dashed?: boolean }[] = [];
  opts.series.forEach((s, i) => {
    const color = s.color ?? seriesColor(i);
    const pts = s.x.map((xv, j) => [xv, s.y[j]!] as [number, number]);
    const d = line<[number, number]>()
      .defined((p) => ok(p[1]))
      .x((p) => x(p[0]))
      .y((p) => y(p[1]))(pts);
    body += h('path', {
      d: d ?? '',
      fill: 'none',
      stroke: color,
      'stroke-width': 1.8,
      'stroke-dasharray': s.dashed ? '5 3' : undefined,
      class: 'series',
      'data-name': s.name,
    });
    if (showPoints) {
      for (const [px, py] of pts)
        if (ok(py)) body += h('circle', { cx: x(px), cy: y(py), r: 2.4, fill: color, class: 'point' });
    }
    items.push({ name: s.name, color, dashed: s.dashed });
  });
  body += text(M.left, 16, opts.title, { 'font-size': 13, 'font-weight': 'bold', fill: '#111' });
  body += legend(items, M.left, 32);
  return makeFigure(opts.title, w, hgt, body);
}

/** Options of {@link barChart}. @public */
export interface BarChartOptions {
  /** Heading of the chart. */
  readonly title: string;
  /** One label per bar, under it. */
  readonly labels: readonly string[];
  /** Bar heights (non-finite values draw no bar). */
  readonly values: readonly number[];
  /** Caption of the y axis. */
  readonly yLabel?: string;
  /** Caption of the x axis. */
  readonly xLabel?: string;
  /** Fixed y range instead of the data's. */
  readonly yDomain?: readonly [number, number];
  /** One colour for all bars, or one per bar. */
  readonly color?: string | readonly string[];
  /** Print each bar's value above it with this many decimals (default: no labels). */
  readonly valueDecimals?: number;
  /** Chart width in pixels (default: grows with the number of bars). */
  readonly width?: number;
  /** Chart height in pixels (default 240). */
  readonly height?: number;
}

/**
 * A bar chart: one `<rect class="bar">` per value.
 * @public
 */
export function barChart(opts: BarChartOptions): Figure {
  if (opts.labels.length !== opts.values.length) {
    throw new VizError('barChart', `${opts.labels.length} labels but ${opts.values.length} values.`);
  }
  if (opts.values.length === 0) throw new VizError('barChart', `"${opts.title}" has no values.`);
  const w = opts.width ?? Math.max(260, 60 + opts.values.length * 26);
  const hgt = opts.height ?? 240;
  const x = scaleBand<number>()
    .domain(opts.values.map((_, i) => i))
    .range([M.left, w - M.right])
    .padding(0.2);
  const finite = opts.values.filter(Number.isFinite);
  const y = scaleLinear()
    .domain(opts.yDomain ? [...opts.yDomain] : [Math.min(0, ...finite), Math.max(0, ...finite) || 1])
    .range([hgt - M.bottom, M.top])
    .nice();
  const yt = y.ticks(5);
  const fy = y.tickFormat(5);
  let body = '';
  for (const t of yt) {
    body += h('line', { x1: M.left, x2: w - M.right, y1: y(t), y2: y(t), stroke: '#eee' });
    body += text(M.left - 5, y(t) + 3.5, fy(t), { 'text-anchor': 'end', fill: '#444' });
  }
  const step = Math.ceil(opts.labels.length / Math.max(1, Math.floor((w - M.left - M.right) / 28)));
  opts.values.forEach((v, i) => {
    const color = typeof opts.color === 'string' ? opts.color : (opts.color?.[i] ?? seriesColor(0));
    const v0 = y(0);
    const v1 = y(Number.isFinite(v) ? v : 0);
    body += h('rect', {
      x: x(i)!,
      y: Math.min(v0, v1),
      width: x.bandwidth(),
      height: Math.abs(v1 - v0),
      fill: color,
      class: 'bar',
      'data-label': opts.labels[i],
    });
    if (opts.valueDecimals != null && Number.isFinite(v)) {
      body += text(x(i)! + x.bandwidth() / 2, Math.min(v0, v1) - 3, v.toFixed(opts.valueDecimals), {
        'text-anchor': 'middle',
        'font-size': 9,
        fill: '#333',
      });
    }
    if (i % step === 0)
      body += text(x(i)! + x.bandwidth() / 2, hgt - M.bottom + 14, opts.labels[i]!, {
        'text-anchor': 'middle',
        fill: '#444',
      });
  });
  body += h('path', {
    d: `M${num(M.left)},${num(M.top)}V${num(hgt - M.bottom)}H${num(w - M.right)}`,
    fill: 'none',
    stroke: '#888',
    class: 'axis',
  });
  if (opts.xLabel)
    body += text((M.left + w - M.right) / 2, hgt - 6, opts.xLabel, { 'text-anchor': 'middle', fill: '#222' });
  if (opts.yLabel) {
    const cy = (M.top + hgt - M.bottom) / 2;
    body += text(14, cy, opts.yLabel, {
      'text-anchor': 'middle',
      fill: '#222',
      transform: `rotate(-90 14 ${num(cy)})`,
    });
  }
  body += text(M.left, 16, opts.title, { 'font-size': 13, 'font-weight': 'bold', fill: '#111' });
  return makeFigure(opts.title, w, hgt, body);
}
