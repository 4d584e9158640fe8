import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { numTensors } from '@nutshell/tensor';
import { FEATURE_NAMES, main, parseBreastCancer, stratifiedSplit } from './logistic-regression.js';

describe('logistic regression example (breast cancer)', () => {
  it('reaches at least 95% test accuracy on the fixed stratified split and names five features', async () => {
    const lines: string[] = [];
    const before = numTensors();
    const r = await main((l) => lines.push(l));
    expect(numTensors()).toBe(before);
    expect(r.trainSize).toBe(456);
    expect(r.testSize).toBe(113);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.top).toHaveLength(5);
    for (const t of r.top) expect(FEATURE_NAMES).toContain(t.feature);
    expect(lines.join('\n')).toMatch(/Accuracy: train \d+\.\d%, test \d+\.\d%/);
    expect(lines.join('\n')).toContain(r.top[0].feature);
  });

  it('splits each class 80/20 with no overlap', () => {
    const labels = [...new Array(10).fill(1), ...new Array(40).fill(0)];
    const { train, test } = stratifiedSplit(labels, 0.8, 1);
    expect(train.filter((i) => labels[i] === 1).length).toBe(8);
    expect(test.filter((i) => labels[i] === 0).length).toBe(8);
    expect(new Set([...train, ...test]).size).toBe(50);
    expect(stratifiedSplit(labels, 0.8, 1)).toEqual({ train, test });
  });

  it('parses the CSV and refuses a malformed one', () => {
    const row = new Array(30).fill('1.5').join(',');
    const d = parseBreastCancer(`2,30,malignant,benign\n${row},0\n${row},1\n`);
    expect(Array.from(d.malignant)).toEqual([1, 0]);
    expect(() => parseBreastCancer(`1,30,malignant,benign\n${row}\n`)).toThrow(/bad row 2/);
  });

  it('runs as a program', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./logistic-regression.ts', import.meta.url))],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/test (9[5-9]|100)\.\d%/);
  }, 60_000);
});
