// `nutshell train` keeps report.html in the run folder; `nutshell visualize` draws the run (built CLI, spawned).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory } from './visualize.js';

const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nutshell-visualize-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function nutshell(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('run pictures', () => {
  it('train writes report.html; visualize writes every figure as SVG and PNG', () => {
    const run = join(tmp, 'cnn');
    const t = nutshell(
      'train',
      'mnist-cnn',
      '--limit',
      '300',
      '--epochs',
      '2',
      '--out',
      run,
      '--backend',
      'wasm',
    );
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain(`report: ${run}/report.html`);
    const report = readFileSync(join(run, 'report.html'), 'utf8');
    for (const h of ['Training', 'Evaluation', 'Gradient flow', 'Network', 'Filters', 'Feature maps']) {
      expect(report).toContain(`<h2>${h}</h2>`);
    }
    expect(report).toContain('Training curves (2 epochs)');
    expect(report).not.toContain('http-equiv="refresh"'); // the finished run's report does not reload itself

    const v = nutshell('visualize', run, '--limit', '200', '--backend', 'wasm');
    expect(v.code, v.stderr).toBe(0);
    const files = readdirSync(join(run, 'visualize'));
    for (const f of [
      'training-curves',
      'confusion-matrix',
      'per-class-accuracy',
      'network',
      'feature-maps-0',
    ]) {
      expect(files).toContain(`${f}.svg`);
      expect(files).toContain(`${f}.png`);
    }
    expect(files.filter((f) => f.startsWith('filters-') && f.endsWith('.png'))).toHaveLength(2);
    expect(existsSync(join(run, 'visualize', 'report.html'))).toBe(true);
    expect(readHistory(run).epochs).toEqual([0, 1]);
  }, 180_000);

  it("mnist-lstm: the report and visualize draw the LSTM's gates over one test image's rows", () => {
    const run = join(tmp, 'lstm');
    const t = nutshell(
      'train',
      'mnist-lstm',
      '--limit',
      '64',
      '--epochs',
      '1',
      '--out',
      run,
      '--backend',
      'wasm',
    );
    expect(t.code, t.stderr).toBe(0);
    const report = readFileSync(join(run, 'report.html'), 'utf8');
    expect(report).toContain('<h2>LSTM gates</h2>');
    expect(report).toContain('A forget gate near 1 (bright) keeps what the memory holds');
    const v = nutshell('visualize', run, '--limit', '64', '--backend', 'wasm');
    expect(v.code, v.stderr).toBe(0);
    const files = readdirSync(join(run, 'visualize'));
    expect(files).toContain('lstm-gates.svg');
    expect(files).toContain('lstm-gates.png');
  }, 180_000);

  it('visualize refuses a folder that is not a run, with one line', () => {
    const r = nutshell('visualize', tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a run folder/);
  });
});
