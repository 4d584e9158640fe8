import { describe, expect, it } from 'vitest';
import { VizError } from './errors.js';
import { gateHeatmaps } from './gateHeatmaps.js';
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
});
