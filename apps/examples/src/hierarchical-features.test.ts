import '@nutshell/backend-wasm';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numTensors, useBackend } from '@nutshell/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './hierarchical-features.js';

const out = mkdtempSync(join(tmpdir(), 'hierarchical-'));
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await useBackend('cpu');
});

describe('hierarchical features example (short run)', () => {
  it('trains LeNet briefly on MNIST and writes the report, filters, feature maps and visualize/ files', async () => {
    await useBackend('wasm');
    const before = numTensors();
    const lines: string[] = [];
    const { testAccuracy, files } = await main({
      train: 1000,
      test: 300,
      epochs: 1,
      out,
      log: (l) => lines.push(l),
    });
    expect(numTensors()).toBe(before);
    expect(testAccuracy).toBeGreaterThan(0.5); // 1,000 images, one epoch: well above chance (0.1)
    for (const f of [
      'report.html',
      'filters-layer1.png',
      'filters-layer2.svg',
      'feature-maps-2.png',
      'convolution-explained.png',
      'top-activating-conv2d_1-0.png',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(files.filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(8);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    for (const h of ['Training', 'Evaluation', 'Gradient flow', 'Network', 'Filters', 'Feature maps'])
      expect(report).toContain(`<h2>${h}</h2>`);
    expect(lines.some((l) => /^test accuracy 0\.\d+ on 300 images$/.test(l))).toBe(true);
  }, 120_000);
});
