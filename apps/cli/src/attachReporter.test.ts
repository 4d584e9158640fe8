import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Trainer } from '@nutshell/train';
import { RunReporter } from '@nutshell/viz';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachReporter } from './attachReporter.js';

/** A trainer's event subscription only: what attachReporter uses. */
function fakeTrainer() {
  const handlers = new Map<string, ((e: unknown) => unknown)[]>();
  const trainer = {
    on: (type: string, h: (e: unknown) => unknown) => handlers.set(type, [...(handlers.get(type) ?? []), h]),
  };
  const emit = async (type: string, e: unknown = {}) => {
    for (const h of handlers.get(type) ?? []) await h(e);
  };
  return { trainer: trainer as unknown as Trainer, emit };
}

const epochEnd = (epoch: number) => ({ epoch, logs: { loss: 1 / (epoch + 1), accuracy: 0.5 }, lr: 0.1 });

describe('attachReporter', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const setup = (epochs: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'nutshell-report-'));
    dirs.push(dir);
    const reporter = new RunReporter(dir, { title: 'test' });
    const writes = vi.spyOn(reporter as unknown as { write: () => Promise<void> }, 'write');
    const { trainer, emit } = fakeTrainer();
    const release = attachReporter(reporter, trainer, epochs);
    return { dir, reporter, writes, emit, release };
  };

  it('one epoch: report.html is drawn once, at the fit end, final (no reload) and with the epoch', async () => {
    const { dir, reporter, writes, emit } = setup(1);
    await emit('batchEnd', { step: 1, loss: 2, metrics: { accuracy: 0.25 } });
    await emit('epochEnd', epochEnd(0));
    expect(writes).toHaveBeenCalledTimes(0);
    await emit('fitEnd');
    await reporter.flush();
    expect(writes).toHaveBeenCalledTimes(1);
    expect(reporter.history.epochs).toEqual([0]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).not.toMatch(/http-equiv="refresh"/);
  });

  it('three epochs: drawn after epochs 1 and 2 (reloading) and once at the end: 3 writes, not 4', async () => {
    const { reporter, writes, emit } = setup(3);
    await emit('epochEnd', epochEnd(0));
    expect(writes).toHaveBeenCalledTimes(1);
    await emit('epochEnd', epochEnd(1));
    await emit('epochEnd', epochEnd(2));
    expect(writes).toHaveBeenCalledTimes(2);
    await emit('fitEnd');
    await reporter.flush();
    expect(writes).toHaveBeenCalledTimes(3);
    expect(reporter.history.epochs).toEqual([0, 1, 2]);
  });

  it('a fit that fails after its last epoch ended: the release in finally still records that epoch', async () => {
    const { dir, reporter, writes, emit, release } = setup(1);
    await emit('epochEnd', epochEnd(0));
    release(); // no fitEnd
    await reporter.flush();
    expect(writes).toHaveBeenCalledTimes(1);
    expect(reporter.history.epochs).toEqual([0]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/http-equiv="refresh"/);
    release(); // twice is harmless
    await reporter.flush();
    expect(writes).toHaveBeenCalledTimes(1);
  });
});
