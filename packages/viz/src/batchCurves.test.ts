import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunReporter, VizError, batchCurves } from './index.js';
import { parseSvg } from './test-utils/svg.js';
import { figureSvgFile } from './figure.js';

const dir = mkdtempSync(join(tmpdir(), 'viz-batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('per-batch curves for a run of one epoch', () => {
  it('draws the loss and each metric against the step, with a running mean', () => {
    const records = Array.from({ length: 40 }, (_, i) => ({
      step: i,
      loss: 2 / (1 + i),
      metrics: { accuracy: i / 40 },
    }));
    const fig = batchCurves(records);
    const svg = figureSvgFile(fig);
    expect(() => parseSvg(svg)).not.toThrow();
    expect(svg).toContain('Training curves per batch (40 steps)');
    for (const t of ['loss', 'accuracy', 'step', 'mean of 2']) expect(svg).toContain(t);
    expect(() => batchCurves(records.slice(0, 1))).toThrow(
      new VizError('batchCurves', 'needs at least two batches, got 1.'),
    );
  });

  it('report.html after one epoch shows per-batch curves and mentions validation only when there is some', async () => {
    const handlers: Record<string, (e: unknown) => unknown> = {};
    new RunReporter(dir, {}).attach({
      on: (type: string, h: (e: unknown) => unknown) => void (handlers[type] = h),
    });
    for (let step = 0; step < 30; step++)
      handlers.batchEnd!({ step, loss: 1 / (step + 1), metrics: { accuracy: step / 30 } });
    await handlers.epochEnd!({ epoch: 0, logs: { loss: 0.2, accuracy: 0.5 } });
    let html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Training curves per batch (30 steps)');
    expect(html).toContain('Loss and metrics of each training batch against the step');
    expect(html).not.toMatch(/validation/i);
    // A second epoch: per-epoch curves (training only: no validation was logged, so none is mentioned).
    await handlers.epochEnd!({ epoch: 1, logs: { loss: 0.1, accuracy: 0.7 } });
    html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Training curves (2 epochs)');
    expect(html).toContain('Loss and metrics per epoch, on the training data.');
    expect(html).not.toMatch(/validation/i);
  });
});
