import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { NAMES, main } from './activation-plots.js';

describe('activation plots example', () => {
  it('draws every unit and finds the derivatives’ peaks where calculus puts them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'activations-'));
    const lines: string[] = [];
    const { files, peaks } = await main(dir, (l) => lines.push(l));
    // σ'(x) = σ(x)(1 − σ(x)) peaks at 0 with 1/4; tanh'(0) = 1; ReLU's derivative is 1 for every x > 0.
    expect(peaks.sigmoid.x).toBeCloseTo(0, 6);
    expect(peaks.sigmoid.dydx).toBeCloseTo(0.25, 4);
    expect(peaks.tanh.dydx).toBeCloseTo(1, 4);
    expect(peaks.relu.dydx).toBeCloseTo(1, 6);
    expect(peaks.relu.x).toBeGreaterThan(0);
    expect(lines.filter((l) => /^ {2}\w+ +\d\.\d{4} at x = /.test(l))).toHaveLength(NAMES.length);
    const svg = await readFile(files[0], 'utf8');
    expect(svg.startsWith('<?xml') || svg.startsWith('<svg')).toBe(true);
    for (const n of ['sigmoid', 'gelu', 'swish']) expect(svg).toContain(n);
    const png = decode(await readFile(files[1]));
    expect(png.width).toBeGreaterThan(300);
    expect(new Set(png.data).size).toBeGreaterThan(2); // not a blank image
    expect(await readFile(files[2], 'utf8')).toContain('Activation functions');
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});
