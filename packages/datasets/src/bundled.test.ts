import { describe, expect, it } from 'vitest';
import { loadBreastCancer } from './breastCancer.js';
import { loadDigits } from './digits.js';

describe('bundled data sets', () => {
  it('breast cancer: 569 × 30, 212 malignant (0) and 357 benign (1), first row as in the source', () => {
    const d = loadBreastCancer();
    expect(d.n).toBe(569);
    expect(d.featureShape).toEqual([30]);
    expect(d.classNames).toEqual(['malignant', 'benign']);
    expect(d.featureNames![0]).toBe('radius (mean)');
    expect(d.featureNames![29]).toBe('fractal dimension (worst)');
    expect(d.x[0]).toBeCloseTo(17.99, 4);
    expect(d.x[3]).toBe(1001);
    let benign = 0;
    for (const v of d.y) benign += v;
    expect(benign).toBe(357);
  });

  it('digits: 1,797 8×8 images in [0, 1], labels 0–9', () => {
    const d = loadDigits();
    expect(d.n).toBe(1797);
    expect(d.featureShape).toEqual([8, 8, 1]);
    expect(Array.from(d.y.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(d.x[2]).toBeCloseTo(5 / 16, 7);
    expect(Math.max(...d.x)).toBe(1);
  });
});
