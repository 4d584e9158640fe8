import { numTensors } from '@nutshell/tensor';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import {
  RunReporter,
  VizError,
  buildRunReport,
  createReport,
  gateHeatmaps,
  lineChart,
  runFigures,
  visualizeRun,
  writeRunReport,
} from './index.js';
import { sampleRun } from './test-utils/sampleRun.js';
import { parseSvg } from './test-utils/svg.js';

const run = sampleRun();
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'viz-report-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  run.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every URL-bearing attribute of the page must be a data: URI: nothing is fetched. */
function externalRefs(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/g)]
    .map((m) => m[1]!)
    .filter((u) => !u.startsWith('data:'));
}

describe('createReport', () => {
  it('is one self-contained page: figures as data: images, escaped text, no external references', () => {
    const fig = lineChart({ title: 'a <b>', series: [{ name: 'a', x: [0, 1], y: [0, 1] }] });
    const html = createReport({
      title: 'R & D',
      sections: [{ title: 'S', text: '<script>', figures: [fig, fig], facts: { lr: 0.001, steps: 12000 } }],
    });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>R &amp; D</title>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script');
    expect(html.match(/<img src="data:image\/svg\+xml;base64,/g)).toHaveLength(2);
    expect(html).toContain('<td>12,000</td>');
    expect(externalRefs(html)).toEqual([]);
    // the embedded SVG decodes back to the figure
    const b64 = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(html)![1]!;
    expect(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)))).toBe(fig.svg);
    expect(createReport({ title: 't', sections: [], refreshSeconds: 5 })).toContain(
      '<meta http-equiv="refresh" content="5">',
    );
  });
});

describe('run report', () => {
  it('gathers every picture of a run, leaking nothing', async () => {
    const before = numTensors();
    const figs = await runFigures(run.input);
    expect(numTensors()).toBe(before);
    expect(figs.map((f) => f.name)).toEqual([
      'training-curves',
      'confusion-matrix',
      'per-class-accuracy',
      'gradient-flow',
      'network',
      'filters-tiny_conv',
      'feature-maps-0',
      'feature-maps-1',
    ]);
    for (const f of figs) parseSvg(f.figure);
    const html = await buildRunReport(run.input);
    expect(externalRefs(html)).toEqual([]);
    expect(html).toContain('<h2>Filters</h2>');
    expect(html).toContain('<td>val_accuracy</td><td>0.7500</td>');
  });

  it("adds the caller's moreFigures after its own, each time it is made, under the caller's section text", async () => {
    let calls = 0;
    const gates = gateHeatmaps([
      {
        name: 'forget gate f',
        values: [
          [0.2, 0.9],
          [0.3, 0.8],
        ],
      },
    ]);
    const input = {
      ...run.input,
      moreFigures: async () => {
        calls++;
        return [
          { name: 'lstm-gates', section: 'LSTM gates', sectionText: 'Gates <over> steps.', figure: gates },
        ];
      },
    };
    const figs = await runFigures(input);
    expect(figs.map((f) => f.name).slice(-2)).toEqual(['feature-maps-1', 'lstm-gates']);
    const html = await buildRunReport(input);
    expect(calls).toBe(2);
    expect(html).toContain('<h2>LSTM gates</h2>');
    expect(html).toContain('Gates &lt;over&gt; steps.');
  });

  it('refuses an empty history', async () => {
    await expect(runFigures({ ...run.input, history: { epochs: [], logs: {} } })).rejects.toThrow(VizError);
    await expect(writeRunReport(tmp(), { history: { epochs: [], logs: {} } })).rejects.toThrow(
      /history is empty/,
    );
  });

  it('writes report.html, and visualizeRun writes every figure as SVG and PNG', async () => {
    const dir = tmp();
    const file = await writeRunReport(dir, run.input);
    expect(file).toBe(join(dir, 'report.html'));
    expect(readFileSync(file, 'utf8')).toContain('Sample run');
    const written = await visualizeRun(dir, run.input);
    const names = readdirSync(join(dir, 'visualize')).sort();
    expect(names).toContain('filters-tiny_conv.png');
    expect(names).toContain('feature-maps-1.svg');
    expect(names).toContain('confusion-matrix.png');
    expect(names).toContain('report.html');
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(written).toHaveLength(8 * 2 + 1);
    const png = decode(readFileSync(join(dir, 'visualize', 'network.png')));
    expect(png.width).toBeGreaterThan(300);
    parseSvg(readFileSync(join(dir, 'visualize', 'training-curves.svg'), 'utf8'));
  });
});

describe('RunReporter', () => {
  it('rewrites report.html at each epoch end (reloading while training) and finally without reload', async () => {
    const dir = tmp();
    const handlers: Record<string, (e: unknown) => void> = {};
    const trainer = { on: (type: string, h: (e: unknown) => void) => void (handlers[type] = h) };
    const { model, examples, classNames } = run.input;
    const reporter = new RunReporter(dir, {
      model,
      examples,
      classNames,
      evaluationData: { x: examples!, y: [0, 1, 2] },
      refreshSeconds: 7,
    }).attach(trainer);
    const before = numTensors();
    handlers.batchEnd!({ step: 0, gradNorms: { 'tiny_conv/kernel': 0.5, 'tiny_dense/kernel': 0.2 } });
    handlers.epochEnd!({ epoch: 1, logs: { loss: 0.9, val_loss: 1.0 }, lr: 0.01 });
    await reporter.flush();
    let html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<meta http-equiv="refresh" content="7">');
    expect(html).toContain('Confusion matrix');
    expect(reporter.history).toEqual({ epochs: [1], logs: { loss: [0.9], val_loss: [1.0], lr: [0.01] } });
    handlers.epochEnd!({ epoch: 2, logs: { loss: 0.5, val_loss: 0.8 }, lr: 0.01 });
    handlers.fitEnd!({});
    await reporter.flush();
    html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain('Training curves (2 epochs)');
    expect(numTensors()).toBe(before);
  });

  it("continues a resumed run's history", async () => {
    const dir = tmp();
    const reporter = new RunReporter(dir, { initialHistory: { epochs: [0, 1], logs: { loss: [1, 0.8] } } });
    reporter.epochEnd({ epoch: 2, logs: { loss: 0.6, accuracy: 0.9 } });
    await reporter.flush();
    expect(reporter.history).toEqual({
      epochs: [0, 1, 2],
      logs: { loss: [1, 0.8, 0.6], accuracy: [NaN, NaN, 0.9] },
    });
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Training curves (3 epochs)');
  });

  it('reports a failed write without throwing into training', async () => {
    const errors: unknown[] = [];
    const file = join(tmp(), 'a-file');
    writeFileSync(file, 'not a folder');
    const reporter = new RunReporter(join(file, 'run'), { onError: (e) => errors.push(e) });
    reporter.epochEnd({ epoch: 1, logs: { loss: 1 } });
    await reporter.flush();
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toMatch(/ENOTDIR|EEXIST/);
  });
});
