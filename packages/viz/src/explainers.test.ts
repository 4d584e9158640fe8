import { numTensors, tf } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import {
  VizError,
  activationPlot,
  activationPlots,
  convolutionStep,
  kernelEffect,
  pixelAt,
  poolingStep,
} from './index.js';
import { marks } from './test-utils/svg.js';

describe('convolutionStep', () => {
  it('computes the output by hand-checkable sums and outlines the patch', async () => {
    const input = [
      [1, 2, 3, 0],
      [0, 4, 2, 3],
      [4, 0, 1, 5],
    ];
    const kernel = [
      [1, 0],
      [0, -1],
    ];
    const before = numTensors();
    const step = await convolutionStep({ input, kernel, row: 1, col: 2 });
    expect(numTensors()).toBe(before);
    // out[r][c] = in[r][c] - in[r+1][c+1]
    expect(step.output).toEqual([
      [-3, 0, 0],
      [0, 3, -3],
    ]);
    expect(step.patch).toEqual([
      [2, 3],
      [1, 5],
    ]);
    expect(step.value).toBe(-3);
    expect(marks(step.figure, 'rect', 'cell')).toHaveLength(12 + 4 + 6);
    expect(marks(step.figure, 'rect', 'highlight')).toHaveLength(3);
    expect(marks(step.figure, 'text', 'formula')[0]!.textContent).toBe('2·1 + 3·0 + 1·0 + 5·(-1) = -3');
    await expect(convolutionStep({ input, kernel, row: 2, col: 0 })).rejects.toThrow(
      'convolutionStep: position (2, 0) is outside the 2×3 output.',
    );
    await expect(convolutionStep({ input: [[1]], kernel })).rejects.toThrow(
      /kernel no larger than the input/,
    );
  });

  it('honours the stride', async () => {
    const input = [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
      [13, 14, 15, 16],
    ];
    const step = await convolutionStep({
      input,
      kernel: [
        [1, 1],
        [1, 1],
      ],
      stride: 2,
      row: 1,
      col: 1,
    });
    expect(step.output).toEqual([
      [14, 22],
      [46, 54],
    ]);
    expect(step.value).toBe(54);
  });
});

describe('poolingStep', () => {
  it('keeps the largest value of each window, or the mean', async () => {
    const input = [
      [1, 3, 2, 0],
      [4, 2, 1, 5],
      [0, 1, 3, 2],
      [2, 6, 1, 1],
    ];
    const max = await poolingStep({ input, row: 0, col: 1 });
    expect(max.output).toEqual([
      [4, 5],
      [6, 3],
    ]);
    expect(max.value).toBe(5);
    const avg = await poolingStep({ input, kind: 'avg', row: 1, col: 0 });
    expect(avg.output[1]![0]).toBeCloseTo(9 / 4, 6);
    expect(marks(max.figure, 'rect', 'cell')).toHaveLength(16 + 4);
  });
});

describe('kernelEffect', () => {
  it('a vertical-edge kernel responds only where the image steps', async () => {
    const img = tf.tidy(() => tf.concat([tf.zeros([6, 3]), tf.ones([6, 3])], 1));
    const { figure, filtered } = await kernelEffect(
      img,
      [
        [-1, 0, 1],
        [-2, 0, 2],
        [-1, 0, 1],
      ],
      { kernelName: 'Sobel x' },
    );
    const v = (await filtered.array()) as number[][];
    // interior rows: 4 either side of the step, 0 on flat ground, -4 at the right border ('same' pads with zeros)
    expect(v[2]).toEqual([0, 0, 4, 4, 0, -4]);
    expect(figure.images.map((i) => i.label)).toEqual(['before', 'after']);
    const after = figure.images[1]!.raster;
    expect(pixelAt(after, 2, 2)).not.toEqual(pixelAt(after, 0, 2));
    filtered.dispose();
    img.dispose();
    const bad = tf.zeros([2, 2, 2]);
    await expect(kernelEffect(bad, [[1]])).rejects.toThrow(
      'kernelEffect: expected shape [h, w], [h, w, 1] or [h, w, 3], got [2, 2, 2].',
    );
    bad.dispose();
  });
});

describe('activationPlot', () => {
  it('plots a function and its derivative: the sigmoid derivative peaks at 0.25', async () => {
    const before = numTensors();
    const fig = await activationPlot('sigmoid', { range: [-4, 4], points: 9 });
    expect(numTensors()).toBe(before);
    const paths = marks(fig, 'path', 'series');
    expect(paths.map((p) => p.getAttribute('data-name'))).toEqual(['f(x)', "f'(x)"]);
    const grid = await activationPlots(['relu', 'tanh']);
    expect(marks(grid, 'path', 'series')).toHaveLength(4);
    await expect(activationPlots([])).rejects.toThrow(VizError);
  });
});
