import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './stratifiedSplit.js';
import { createDataset } from './dataset.js';
import { loadBreastCancer } from './breastCancer.js';

function counts(y: ArrayLike<number>, k: number): number[] {
  const c = new Array(k).fill(0);
  for (let i = 0; i < y.length; i++) c[y[i]]++;
  return c;
}

describe('stratifiedSplit', () => {
  it('keeps each class proportion: breast cancer 212 malignant / 357 benign at 20%', () => {
    const { train, test } = stratifiedSplit(loadBreastCancer(), { testFraction: 0.2, seed: 7 });
    // round(212 × 0.2) = 42, round(357 × 0.2) = 71
    expect(counts(test.y, 2)).toEqual([42, 71]);
    expect(counts(train.y, 2)).toEqual([170, 286]);
    expect(train.n + test.n).toBe(569);
  });

  it('puts every row in exactly one side, and is reproducible from the seed', () => {
    // Feature = row index, so we can see which rows went where.
    const n = 50;
    const d = createDataset({
      x: Float32Array.from({ length: n }, (_, i) => i),
      y: Int32Array.from({ length: n }, (_, i) => i % 3),
      featureShape: [1],
    });
    const a = stratifiedSplit(d, { testFraction: 0.3, seed: 1 });
    const seen = [...a.train.x, ...a.test.x].sort((p, q) => p - q);
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
    for (let i = 0; i < a.test.n; i++) expect(a.test.y[i]).toBe(a.test.x[i] % 3);
    const b = stratifiedSplit(d, { testFraction: 0.3, seed: 1 });
    expect(Array.from(b.test.x)).toEqual(Array.from(a.test.x));
    const c = stratifiedSplit(d, { testFraction: 0.3, seed: 2 });
    expect(Array.from(c.test.x)).not.toEqual(Array.from(a.test.x));
  });

  it('refuses a fraction outside (0, 1)', () => {
    const d = createDataset({ x: new Float32Array(2), y: Int32Array.from([0, 1]), featureShape: [1] });
    expect(() => stratifiedSplit(d, { testFraction: 1 })).toThrow(
      'stratifiedSplit: testFraction must be in (0, 1), got 1.',
    );
  });
});
