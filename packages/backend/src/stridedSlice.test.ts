import { describe, expect, it } from 'vitest';
import { tf } from './index.js';
import { axisRanges, plainSliceAttrs } from './stridedSlice.js';

const attrs = (
  begin: number[],
  end: number[],
  strides: number[],
  masks: [number, number, number, number, number] = [0, 0, 0, 0, 0],
) => {
  const [beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask] = masks;
  return { begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask };
};

/** x = 0…23 as [2, 3, 4]: x[a][b][c] = 12a + 4b + c. */
const x = () => tf.reshape(tf.range(0, 24), [2, 3, 4]);

describe('StridedSlice resolved per axis', () => {
  it('x[:, 1, ::2]: the shrunk axis takes one element, the strided one every other', () => {
    const r = axisRanges([2, 3, 4], attrs([0, 1, 0], [2, 2, 4], [1, 1, 2], [0, 0, 0, 0, 0b010]));
    expect(r).toMatchObject({
      begin: [0, 1, 0],
      strides: [1, 1, 2],
      sizes: [2, 1, 2],
      finalShape: [2, 2],
      simple: false,
    });
  });

  it('x[-1, ::-2, 1:]: a negative index and a negative stride running down past 0', () => {
    const r = axisRanges([2, 3, 4], attrs([-1, 0, 1], [0, 0, 4], [1, -2, 1], [0b010, 0b010, 0, 0, 0b001]));
    expect(r).toMatchObject({ begin: [1, 2, 1], strides: [1, -2, 1], sizes: [1, 2, 3], finalShape: [2, 3] });
    // The range along axis 1 ends below index 0, which a plain slice says with the end mask, not a negative end.
    expect(plainSliceAttrs(r)).toMatchObject({
      begin: [1, 2, 1],
      end: [2, -2, 4],
      endMask: 0b010,
      shrinkAxisMask: 0,
    });
  });

  it('x[..., None, 1::2]: an ellipsis and a new axis', () => {
    const r = axisRanges([2, 3, 4], attrs([0, 0, 1], [0, 0, 4], [1, 1, 2], [0, 0, 0b001, 0b010, 0]));
    expect(r).toMatchObject({ begin: [0, 0, 1], sizes: [2, 3, 2], finalShape: [2, 3, 1, 2] });
  });
});

describe('tf.stridedSlice on cpu (tfjs 4.22 took the wrong elements with a shrunk axis and a stride)', () => {
  it('x[:, 1, ::2] is [[4, 6], [16, 18]]', () => {
    const y = tf.stridedSlice(x(), [0, 1, 0], [2, 2, 4], [1, 1, 2], 0, 0, 0, 0, 0b010);
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.dataSync())).toEqual([4, 6, 16, 18]);
  });

  it('x[1, :, ::2] is [[12, 14], [16, 18], [20, 22]] (tfjs threw "Requested out of range element")', () => {
    const y = tf.stridedSlice(x(), [1, 0, 0], [2, 3, 4], [1, 1, 2], 0, 0, 0, 0, 0b001);
    expect(Array.from(y.dataSync())).toEqual([12, 14, 16, 18, 20, 22]);
  });

  it('x[:, ::2, 1] is [[1, 9], [13, 21]]', () => {
    const y = tf.stridedSlice(x(), [0, 0, 1], [2, 3, 2], [1, 2, 1], 0, 0, 0, 0, 0b100);
    expect(Array.from(y.dataSync())).toEqual([1, 9, 13, 21]);
  });

  it('frees what it allocates', () => {
    const input = x();
    const before = tf.memory().numTensors;
    const ids = tf.backend().numDataIds();
    tf.stridedSlice(input, [0, 1, 0], [2, 2, 4], [1, 1, 2], 0, 0, 0, 0, 0b010).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().numDataIds()).toBe(ids);
  });
});
