import { describe, expect, it } from 'vitest';
import { MinMaxScaler, Standardizer } from './scaling.js';
import { DatasetError } from './errors.js';

// Two features over three rows: column 0 = 1, 2, 3; column 1 = 10, 10, 10 (constant).
const train = { x: Float32Array.from([1, 10, 2, 10, 3, 10]), featureShape: [2] };

describe('Standardizer', () => {
  it('fits mean and population std per feature; a constant feature is only centred', () => {
    const s = new Standardizer().fit(train);
    expect(Array.from(s.mean!)).toEqual([2, 10]);
    // std of 1, 2, 3 = sqrt(2/3)
    expect(s.std![0]).toBeCloseTo(Math.sqrt(2 / 3), 6);
    expect(s.std![1]).toBe(1);
    const t = s.transform(train);
    expect(t.x[0]).toBeCloseTo(-1 / Math.sqrt(2 / 3), 5);
    expect(t.x[1]).toBe(0);
    expect(train.x[0]).toBe(1); // input not changed
  });

  it('applies the training statistics to test data (fitted on the training set only)', () => {
    const s = new Standardizer().fit(train);
    const test = s.transform({ x: Float32Array.from([5, 12]), featureShape: [2] });
    expect(test.x[0]).toBeCloseTo(3 / Math.sqrt(2 / 3), 5);
    expect(test.x[1]).toBe(2);
  });

  it('round-trips through JSON, refuses use before fit and a different feature count', () => {
    const s = new Standardizer().fit(train);
    const r = Standardizer.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(Array.from(r.transform(train).x)).toEqual(Array.from(s.transform(train).x));
    expect(() => new Standardizer().transform(train)).toThrow(
      'Standardizer.transform: call fit() on the training set first.',
    );
    expect(() => s.transform({ x: new Float32Array(3), featureShape: [3] })).toThrow(
      /Standardizer.transform: expected shape \[\?, 2\], got \[1, 3\]/,
    );
    expect(() => Standardizer.fromJSON({ kind: 'minMaxScaler', a: [], b: [] })).toThrow(DatasetError);
  });
});

describe('MinMaxScaler', () => {
  it('maps the training min to 0 and max to 1; test values may fall outside', () => {
    const m = new MinMaxScaler().fit(train);
    expect(Array.from(m.min!)).toEqual([1, 10]);
    expect(Array.from(m.transform(train).x)).toEqual([0, 0, 0.5, 0, 1, 0]);
    expect(Array.from(m.transform({ x: Float32Array.from([5, 10]), featureShape: [2] }).x)).toEqual([2, 0]);
    expect(Array.from(MinMaxScaler.fromJSON(m.toJSON()).range!)).toEqual([2, 1]);
  });
});
