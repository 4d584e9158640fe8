import { describe, expect, it } from 'vitest';
import { aucRoc } from './classification.js';
import { DataError } from '../errors.js';

describe('aucRoc refuses NaN scores', () => {
  it.each([
    [[0, 0, 1, 1], [0.1, NaN, 0.35, 0.8], 1],
    [[0, 1], [NaN, NaN], 0],
  ])(
    'labels %j, scores %j: DataError naming row %i (it returned 0.75 for the first before)',
    (labels, scores, row) => {
      let caught: unknown;
      try {
        aucRoc(labels, scores);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DataError);
      expect((caught as DataError).row).toBe(row);
      expect((caught as Error).message).toBe(
        `aucRoc: score NaN at row ${row}; scores must be numbers (a model whose loss went NaN has no AUC).`,
      );
    },
  );

  it('infinite scores still rank (a saturated logit is a valid score)', () => {
    expect(aucRoc([0, 1, 1], [-Infinity, 0.2, Infinity])).toBe(1);
  });
});
