import { describe, expect, it } from 'vitest';
import { idxSampleCount } from './idxSamples.js';

describe('idxSampleCount: which IDX shapes are samples of a model input', () => {
  const mnist = [28, 28]; // what predict passes for every MNIST recipe
  it.each([
    [[28, 28], 1],
    [[28, 28, 1], 1],
    [[784], 1],
    [[5, 28, 28], 5],
    [[5, 784], 5],
    [[5, 28, 28, 1], 5],
  ])('accepts %j as %i sample(s)', (dims, n) => {
    expect(idxSampleCount(dims, mnist)).toBe(n);
  });

  it.each([[[2, 392]], [[392, 2]], [[14, 56]], [[3, 27, 28]], [[0, 784]], [[785]]])(
    'refuses %j (it was read as one 28×28 image when the count matched)',
    (dims) => {
      expect(idxSampleCount(dims, mnist)).toBeUndefined();
    },
  );

  it('flat feature rows: [n, 30] for a 30-feature model', () => {
    expect(idxSampleCount([4, 30], [30])).toBe(4);
    expect(idxSampleCount([30], [30])).toBe(1);
    expect(idxSampleCount([2, 15], [30])).toBeUndefined();
  });
});
