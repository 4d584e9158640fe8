import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { numTensors } from '@nutshell/tensor';
import { loadBreastCancer } from '@nutshell/datasets';
import { main } from './logistic-regression.js';

describe('logistic regression example (breast cancer)', () => {
  it('reaches at least 93% test accuracy on the fixed stratified split and names five features', async () => {
    const lines: string[] = [];
    const before = numTensors();
    const r = await main((l) => lines.push(l));
    expect(numTensors()).toBe(before);
    expect(r.trainSize).toBe(456);
    expect(r.testSize).toBe(113);
    // Over stratified splits with seeds 0–9 the test accuracy is 95.6–100%; seed 42's split is the hardest seen
    // (94.7%, 107 of 113). Always predicting benign gets 62.8%.
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.93);
    expect(r.top).toHaveLength(5);
    for (const t of r.top) expect(loadBreastCancer().featureNames).toContain(t.feature);
    expect(lines.join('\n')).toMatch(/Accuracy: train \d+\.\d%, test \d+\.\d%/);
    expect(lines.join('\n')).toContain(r.top[0].feature);
  });

  it('runs as a program', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./logistic-regression.ts', import.meta.url))],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/test (9[3-9]|100)\.\d%/);
  }, 60_000);
});
