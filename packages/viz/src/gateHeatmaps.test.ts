import { describe, expect, it } from 'vitest';
import { VizError } from './errors.js';
import { gateHeatmaps, lstmGateRows } from './gateHeatmaps.js';
import { pixelAt } from './raster.js';
import { colorAt } from './color.js';

describe('gateHeatmaps', () => {
  it('draws one map per row, units down and steps across, gates on [0, 1]', () => {
    // 3 steps × 2 units; unit 1 of the forget gate is fully open at step 2 only (pixel x = step, y = unit).
    const forget = [
      [0, 0],
      [0, 0],
      [0, 1],
    ];
    const cell = [
      [-2, 0],
      [0, 0],
      [0, 2],
    ];
    const fig = gateHeatmaps([
      { name: 'forget gate f', values: forget },
      { name: 'memory c', values: cell, colormap: 'diverging' },
    ]);
    const [f, c] = fig.images;
    expect([f!.raster.width, f!.raster.height]).toEqual([3, 2]);
    expect(f!.label).toBe('forget gate f');
    expect(pixelAt(f!.raster, 2, 1).slice(0, 3)).toEqual([...colorAt('viridis', 1)]);
    expect(pixelAt(f!.raster, 2, 0).slice(0, 3)).toEqual([...colorAt('viridis', 0)]);
    expect(pixelAt(c!.raster, 0, 0).slice(0, 3)).toEqual([...colorAt('diverging', 0)]); // −2 of ±2
    expect(pixelAt(c!.raster, 2, 1).slice(0, 3)).toEqual([...colorAt('diverging', 1)]);
    expect(fig.svg).toContain('memory c');
  });

  it('refuses rows of different sizes', () => {
    expect(() =>
      gateHeatmaps([
        { name: 'a', values: [[1, 2]] },
        { name: 'b', values: [[1]] },
      ]),
    ).toThrow(VizError);
    expect(() => gateHeatmaps([])).toThrow(VizError);
  });

  it('lstmGateRows: the five LSTM rows in order, the candidate on a fixed [−1, 1] scale', () => {
    // 2 steps × 1 unit; the candidate's −0.5 sits a quarter of the way up [−1, 1], not at the bottom as it would
    // on a scale fitted to its own largest magnitude.
    const gate = [[0.5], [1]];
    const fig = gateHeatmaps(
      lstmGateRows({
        input: gate,
        forget: gate,
        candidate: [[-0.5], [0.5]],
        output: gate,
        cell: [[-3], [3]],
      }),
    );
    expect(fig.images.slice(0, 5).map((i) => i.label)).toEqual([
      'input gate i',
      'forget gate f',
      'candidate c\u0303',
      'output gate o',
      'memory c',
    ]);
    const candidate = fig.images[2]!.raster;
    expect(pixelAt(candidate, 0, 0).slice(0, 3)).toEqual([...colorAt('diverging', 0.25)]);
    expect(pixelAt(fig.images[4]!.raster, 0, 0).slice(0, 3)).toEqual([...colorAt('diverging', 0)]);
  });
});
