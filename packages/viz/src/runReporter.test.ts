import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunReporter } from './runReporter.js';

/** A trainer's event subscription only: what `attach` uses. */
function fakeTrainer() {
  const handlers = new Map<string, ((e: unknown) => unknown)[]>();
  const trainer = {
    on: (type: string, h: (e: unknown) => unknown) => handlers.set(type, [...(handlers.get(type) ?? []), h]),
  };
  const emit = async (type: string, e: unknown = {}) => {
    for (const h of handlers.get(type) ?? []) await h(e);
  };
  return { trainer, emit };
}

const epochEnd = (epoch: number) => ({ epoch, logs: { loss: 1 / (epoch + 1), accuracy: 0.5 }, lr: 0.1 });

describe('RunReporter.attach: when report.html is drawn', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const setup = (epochs: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'nutshell-report-'));
    dirs.push(dir);
    const reporter = new RunReporter(dir, { title: 'test' });
    const writes = vi.spyOn(reporter as unknown as { write: () => Promise<void> }, 'write');
    const { trainer, emit } = fakeTrainer();
    reporter.attach(trainer);
    return { dir, reporter, writes, emit, start: () => emit('fitStart', { epochs }) };
  };

  it('one epoch: report.html is drawn once, at the fit end, final (no reload) and with the epoch', async () => {
    const { dir, reporter, writes, emit, start } = setup(1);
    await start();
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
    const { reporter, writes, emit, start } = setup(3);
    await start();
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

  it('a fit that fails after its last epoch ended (no fitEnd): flush() still draws that epoch, once', async () => {
    const { dir, reporter, writes, emit, start } = setup(1);
    await start();
    await emit('epochEnd', epochEnd(0));
    await reporter.flush();
    expect(writes).toHaveBeenCalledTimes(1);
    expect(reporter.history.epochs).toEqual([0]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/http-equiv="refresh"/);
    await reporter.flush(); // twice is harmless
    expect(writes).toHaveBeenCalledTimes(1);
  });

  it('epochEnd called directly (no fitStart): every epoch is drawn, as before', async () => {
    const { reporter, writes } = setup(2);
    reporter.epochEnd(epochEnd(0));
    await reporter.flush();
    reporter.epochEnd(epochEnd(1));
    await reporter.flush();
    expect(writes).toHaveBeenCalledTimes(2);
  });
});
