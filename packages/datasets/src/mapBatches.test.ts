import { describe, expect, it } from 'vitest';
import { numTensors, tf } from '@nutshell/tensor';
import { ArrayDataset } from './ArrayDataset.js';
import { mapBatches } from './mapBatches.js';

describe('mapBatches: transform batches as they are read', () => {
  const data = new ArrayDataset({
    x: Float32Array.from([1, 2, 3, 4, 5, 6]),
    y: Int32Array.from([0, 1, 0]),
    featureShape: [2],
  });

  it('applies fn to each batch (here: scale by 10 and flip the features) and frees the input batch', async () => {
    const before = numTensors();
    const mapped = mapBatches(data, ({ x, y }, indices) => {
      expect(Array.from(indices)).toEqual([2, 0]);
      return { x: tf.tidy(() => tf.reverse(tf.mul(x, 10), 1)), y };
    });
    expect(mapped.size).toBe(3);
    const { x, y } = await mapped.gather([2, 0]);
    expect(Array.from(await x.data())).toEqual([60, 50, 20, 10]);
    expect(Array.from(await y.data())).toEqual([0, 0]);
    tf.dispose([x, y]);
    expect(numTensors()).toBe(before);
  });

  it('frees the batch when fn throws, and passes the error on', async () => {
    const before = numTensors();
    const mapped = mapBatches(data, () => {
      throw new Error('augmentation failed');
    });
    await expect(mapped.gather([0])).rejects.toThrow('augmentation failed');
    expect(numTensors()).toBe(before);
  });
});
