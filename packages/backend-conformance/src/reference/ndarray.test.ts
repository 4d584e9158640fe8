import { describe, expect, it } from 'vitest';
import * as R from './ndarray.js';

// The float64 reference is what backends are judged by, so it is checked against values worked out by hand.
describe('float64 reference', () => {
  const img = R.nd([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);

  it('conv2d: valid, same with stride 2, dilation', () => {
    const ones = R.nd([2, 2, 1, 1], [1, 1, 1, 1]);
    expect(Array.from(R.conv2d(img, ones, { strides: [1, 1], padding: 'valid' }).data)).toEqual([12, 16, 24, 28]);
    // 'same', stride 2 on 3: out 2, total padding 1 → 0 before, 1 after
    expect(Array.from(R.conv2d(img, ones, { strides: [2, 2], padding: 'same' }).data)).toEqual([12, 9, 15, 9]);
    const corners = R.nd([2, 2, 1, 1], [1, 0, 0, 1]);
    // dilation 2: taps at (0,0) and (2,2) → 1 + 9
    expect(Array.from(R.conv2d(img, corners, { strides: [1, 1], padding: 'valid', dilations: [2, 2] }).data)).toEqual([10]);
  });

  it('depthwise conv2d keeps channels apart', () => {
    const x = R.nd([1, 1, 2, 2], [1, 10, 2, 20]);
    const f = R.nd([1, 2, 2, 1], [1, 100, 1, 100]);
    expect(Array.from(R.conv2d(x, f, { strides: [1, 1], padding: 'valid' }, true).data)).toEqual([3, 3000]);
  });

  it('pooling counts only positions inside the image', () => {
    expect(Array.from(R.pool(img, 'max', [2, 2], { strides: [2, 2], padding: 'same' }).data)).toEqual([5, 6, 8, 9]);
    expect(Array.from(R.pool(img, 'avg', [2, 2], { strides: [2, 2], padding: 'same' }).data)).toEqual([3, 4.5, 7.5, 9]);
  });

  it('conv2dTranspose spreads each value over the window it came from', () => {
    const dy = R.nd([1, 1, 1, 1], [2]);
    const f = R.nd([2, 2, 1, 1], [1, 2, 3, 4]);
    expect(Array.from(R.conv2dTranspose(dy, f, [1, 2, 2, 1], { strides: [1, 1], padding: 'valid' }).data)).toEqual([2, 4, 6, 8]);
  });

  it('softmax, logSoftmax, reductions, shapes', () => {
    const x = R.nd([1, 2], [0, Math.log(3)]);
    expect(Array.from(R.softmax(x).data).map((v) => +v.toFixed(12))).toEqual([0.25, 0.75]);
    expect(R.logSoftmax(x).data[1]).toBeCloseTo(Math.log(0.75), 14);
    const m = R.nd([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(Array.from(R.sum(m, [0]).data)).toEqual([5, 7, 9]);
    expect(Array.from(R.mean(m, [1]).data)).toEqual([2, 5]);
    expect(R.max(m, [1], true).shape).toEqual([2, 1]);
    expect(Array.from(R.transpose(m, [1, 0]).data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(R.slice(m, [1, 1], [1, 2]).data)).toEqual([5, 6]);
    expect(Array.from(R.pad(R.nd([1, 1], [7]), [[1, 0], [0, 1]], 0).data)).toEqual([0, 0, 7, 0]);
    expect(Array.from(R.gather(m, [2, 0], 1).data)).toEqual([3, 1, 6, 4]);
    expect(Array.from(R.concat([R.nd([1, 1], [1]), R.nd([1, 2], [2, 3])], 1).data)).toEqual([1, 2, 3]);
    expect(Array.from(R.tile(R.nd([1, 2], [1, 2]), [2, 2]).data)).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    expect(Array.from(R.zip(m, R.nd([3], [10, 20, 30]), (a, b) => a + b).data)).toEqual([11, 22, 33, 14, 25, 36]);
    expect(Array.from(R.matMul(R.nd([1, 2], [1, 2]), R.nd([2, 1], [3, 4])).data)).toEqual([11]);
  });
});
