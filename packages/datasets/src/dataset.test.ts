import { describe, expect, it } from 'vitest';
import { createDataset, subset } from './dataset.js';
import { oneHot } from './oneHot.js';
import { DatasetError } from './errors.js';

describe('createDataset', () => {
  it('infers n and numClasses and keeps names', () => {
    const d = createDataset({
      x: Float32Array.from([1, 2, 3, 4, 5, 6]),
      y: Int32Array.from([0, 2, 1]),
      featureShape: [2],
    });
    expect(d.n).toBe(3);
    expect(d.numClasses).toBe(3);
  });

  it('refuses features and labels of different lengths', () => {
    expect(() =>
      createDataset({ x: new Float32Array(6), y: new Int32Array(2), featureShape: [2] }, 'toy'),
    ).toThrow('toy: features and labels have different lengths: 2 labels but 3 rows of 2 features.');
    expect(() =>
      createDataset({ x: new Float32Array(5), y: new Int32Array(2), featureShape: [2] }, 'toy'),
    ).toThrow(/5 feature values \(not a whole number of rows\)/);
  });

  it('refuses labels out of range, naming the row', () => {
    expect(() =>
      createDataset(
        { x: new Float32Array(4), y: Int32Array.from([0, 3]), featureShape: [2], numClasses: 3 },
        'toy',
      ),
    ).toThrow('toy: label 3 at row 1 is out of range; expected an integer in [0, 3).');
    expect(() =>
      createDataset({ x: new Float32Array(4), y: Int32Array.from([-1, 0]), featureShape: [2] }, 'toy'),
    ).toThrow(DatasetError);
  });

  it('refuses NaN and infinity, naming the row and feature', () => {
    const x = Float32Array.from([1, 2, 3, NaN]);
    expect(() =>
      createDataset({ x, y: Int32Array.from([0, 1]), featureShape: [2], featureNames: ['w', 'h'] }, 'toy'),
    ).toThrow("toy: NaN in row 1, feature 'h'; data must be finite numbers.");
    const inf = Float32Array.from([Infinity, 2]);
    expect(() => createDataset({ x: inf, y: Int32Array.from([0]), featureShape: [2] }, 'toy')).toThrow(
      'toy: Infinity in row 0, feature 0',
    );
  });

  it('subset copies the chosen rows in order and checks indices', () => {
    const d = createDataset({
      x: Float32Array.from([0, 1, 10, 11, 20, 21]),
      y: Int32Array.from([0, 1, 2]),
      featureShape: [2],
    });
    const s = subset(d, [2, 0]);
    expect(Array.from(s.x)).toEqual([20, 21, 0, 1]);
    expect(Array.from(s.y)).toEqual([2, 0]);
    expect(s.n).toBe(2);
    expect(() => subset(d, [3])).toThrow('subset: index 3 at position 0 is outside [0, 3).');
  });
});

describe('oneHot', () => {
  it('puts a 1 at each label', () => {
    expect(Array.from(oneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
  });
  it('refuses an out-of-range label', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(
      'oneHot: label 3 at row 1 is out of range; expected an integer in [0, 3).',
    );
  });
});
