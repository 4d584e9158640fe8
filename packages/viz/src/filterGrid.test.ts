import { ShapeError, numTensors, tf } from '@nutshell/tensor';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { VizError, figureToPng, filterGrid, pixelAt } from './index.js';
import { marks } from './test-utils/svg.js';

/** A 3×3 vertical-edge kernel (-1 | 0 | +1 columns) and its mirror, as a [3, 3, 1, 2] kernel. */
function edgeKernels(): tf.Tensor4D {
  const k = new Float32Array(18);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      k[(r * 3 + c) * 2] = c - 1;
      k[(r * 3 + c) * 2 + 1] = 2 * (1 - c); // mirrored and twice as strong: per-filter scaling makes it look the same
    }
  return tf.tensor4d(k, [3, 3, 1, 2]);
}

// The diverging scale's ends are dark blue (5, 48, 97) and dark red (103, 0, 31).
const isBlue = ([r, , b]: number[]) => b > r + 60;
const isRed = ([r, , b]: number[]) => r > b + 60;
const isWhite = ([r, g, b]: number[]) => r > 235 && g > 235 && b > 235;

describe('filterGrid', () => {
  it('draws a known kernel as the expected pixel pattern: blue left column, white middle, red right', async () => {
    const k = edgeKernels();
    const before = numTensors();
    const fig = await filterGrid(k);
    expect(numTensors()).toBe(before);
    const tiles = fig.images.filter((i) => i.label?.includes('filter'));
    expect(tiles).toHaveLength(2);
    const [a, b] = [tiles[0]!.raster, tiles[1]!.raster];
    expect([a.width, a.height]).toEqual([3, 3]);
    for (let y = 0; y < 3; y++) {
      expect(isBlue(pixelAt(a, 0, y))).toBe(true);
      expect(isWhite(pixelAt(a, 1, y))).toBe(true);
      expect(isRed(pixelAt(a, 2, y))).toBe(true);
      // the mirrored filter, normalised by its own max |w|, is the exact mirror image
      expect(pixelAt(b, 0, y)).toEqual(pixelAt(a, 2, y));
      expect(pixelAt(b, 2, y)).toEqual(pixelAt(a, 0, y));
    }
    k.dispose();
  });

  it('keeps the pattern through SVG → PNG rendering', async () => {
    const k = edgeKernels();
    const fig = await filterGrid(k, { tileSize: 30 });
    k.dispose();
    const png = decode(await figureToPng(fig, { scale: 1 }));
    expect([png.width, png.height]).toEqual([fig.width, fig.height]);
    const tile = fig.images[0]!;
    const at = (x: number, y: number) => {
      const i = (Math.round(y) * png.width + Math.round(x)) * png.channels;
      return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    };
    // centre of each of the three columns of the first tile
    const cy = tile.y + tile.height / 2;
    expect(isBlue(at(tile.x + tile.width / 6, cy))).toBe(true);
    expect(isWhite(at(tile.x + tile.width / 2, cy))).toBe(true);
    expect(isRed(at(tile.x + (5 * tile.width) / 6, cy))).toBe(true);
  });

  it('shows a deeper layer as filters × input channels, in a parseable SVG', async () => {
    const k = tf.randomNormal([3, 3, 4, 5], 0, 1, 'float32', 7);
    const fig = await filterGrid(k);
    k.dispose();
    const images = marks(fig, 'image');
    expect(
      images.filter((e) => /filter \d+ channel \d+/.test(e.getAttribute('data-label') ?? '')),
    ).toHaveLength(20);
    expect(images.filter((e) => e.getAttribute('data-label') === 'colour scale')).toHaveLength(1);
    // every tile of one filter shares that filter's scale: its largest |w| is fully saturated in exactly one tile set
    expect(fig.title).toContain('3×3, 4 in → 5 out');
  });

  it('draws 3-channel first-layer kernels as colour images', async () => {
    // filter 0 is pure red: channel 0 = 1, others 0
    const k = tf.tidy(() => tf.concat([tf.ones([2, 2, 1, 1]), tf.zeros([2, 2, 2, 1])], 2));
    const fig = await filterGrid(k);
    k.dispose();
    expect(pixelAt(fig.images[0]!.raster, 0, 0)).toEqual([255, 0, 0, 255]);
  });

  it('refuses a layer without kernels, and a tensor of the wrong rank, saying what it expected', async () => {
    const w = tf.variable(tf.zeros([784, 10]));
    const dense = { name: 'dense_1', weights: [{ name: 'dense_1/kernel', variable: w }] };
    await expect(filterGrid(dense)).rejects.toThrow(VizError);
    await expect(filterGrid(dense)).rejects.toThrow(
      'filterGrid: layer "dense_1" has no convolution kernel (a weight of shape [kernelH, kernelW, inChannels, filters]); it has dense_1/kernel [784, 10]. Pass a Conv2D layer or a rank-4 kernel tensor.',
    );
    await expect(filterGrid({ name: 'pool', weights: [] })).rejects.toThrow(
      /has no convolution kernel.*no weights/,
    );
    const t = tf.zeros([3, 3, 1]);
    await expect(filterGrid(t)).rejects.toThrow(ShapeError);
    await expect(filterGrid(t)).rejects.toThrow(
      'filterGrid: expected shape [kernelH, kernelW, inChannels, filters], got [3, 3, 1].',
    );
    t.dispose();
    w.dispose();
  });
});
