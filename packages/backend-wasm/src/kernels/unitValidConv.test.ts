import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/backend';
import { filterGradientOnPatchRows, isUnitValid } from './unitValidConv.js';

const info = (
  x: [number, number, number, number],
  f: [number, number, number, number],
  stride = 1,
  pad: 'valid' | 'same' = 'valid',
  dilation = 1,
) => tf.backend_util.computeConv2DInfo(x, f, stride, dilation, pad);

describe('which convolution gradients take the matmul routes', () => {
  it("LeNet's layers do; stride, dilation and padding do not", () => {
    expect(filterGradientOnPatchRows(info([64, 28, 28, 1], [5, 5, 1, 8]))).toBe(true); // OW 24
    expect(filterGradientOnPatchRows(info([64, 12, 12, 8], [5, 5, 8, 16]))).toBe(true); // OW 8
    expect(isUnitValid(info([64, 28, 28, 1], [5, 5, 1, 8], 2))).toBe(false);
    expect(isUnitValid(info([2, 9, 9, 1], [3, 3, 1, 2], 1, 'valid', 2))).toBe(false);
    expect(isUnitValid(info([2, 8, 8, 1], [3, 3, 1, 2], 1, 'same'))).toBe(false);
  });

  it('the patch rows need an output width that is a multiple of 4 and at most 8 M patch values', () => {
    expect(isUnitValid(info([2, 7, 7, 1], [2, 2, 1, 2]))).toBe(true);
    expect(filterGradientOnPatchRows(info([2, 7, 7, 1], [2, 2, 1, 2]))).toBe(false); // OW 6
    // 256 images of 68×68, 5×5 taps: 256·64·64·25 = 26 M patch values.
    expect(filterGradientOnPatchRows(info([256, 68, 68, 1], [5, 5, 1, 8]))).toBe(false);
  });
});
