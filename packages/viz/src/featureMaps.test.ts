import { ShapeError, numTensors, tf } from '@nutshell/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { activationGrid, featureMaps, pixelAt, topActivatingInputs, type RasterImage } from './index.js';
import { marks } from './test-utils/svg.js';
import { tinyCnn } from './test-utils/tinyCnn.js';

const model = tinyCnn();
afterAll(() => model.dispose());

function isConstant(img: RasterImage): boolean {
  const first = pixelAt(img, 0, 0).join();
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) if (pixelAt(img, x, y).join() !== first) return false;
  return true;
}

describe('featureMaps', () => {
  it('draws every layer in order, and each map of a constant image is constant', async () => {
    const x = tf.fill([8, 8, 1], 0.7);
    const before = numTensors();
    const fig = await featureMaps(model, x);
    expect(numTensors()).toBe(before);
    x.dispose();
    const labels = fig.images.map((i) => i.label);
    expect(labels).toEqual([
      'input map 0',
      'tiny_conv map 0',
      'tiny_conv map 1',
      'tiny_relu map 0',
      'tiny_relu map 1',
      'tiny_pool map 0',
      'tiny_pool map 1',
      'tiny_flatten',
      'tiny_dense',
      'colour scale',
    ]);
    for (const img of fig.images.slice(0, 7)) expect(isConstant(img.raster)).toBe(true);
    // shapes shrink as the hierarchy deepens: 8×8 input, 6×6 after the valid 3×3 conv, 3×3 after pooling
    expect(fig.images.slice(0, 7).map((i) => i.raster.width)).toEqual([8, 6, 6, 6, 6, 3, 3]);
    // the row labels name class and shape
    const texts = marks(fig, 'text').map((t) => t.textContent);
    expect(texts).toContain('Conv2D [6, 6, 2]');
    expect(texts).toContain('MaxPool2D [3, 3, 2]');
  });

  it('shows where an edge is: the vertical-edge map lights up only at the step', async () => {
    // left half 0, right half 1: the edge filter responds at output columns 2 and 3 (windows straddling the step)
    const x = tf.tidy(() => tf.concat([tf.zeros([8, 4, 1]), tf.ones([8, 4, 1])], 1));
    const fig = await featureMaps(model, tf.expandDims(x, 0));
    x.dispose();
    const edge = fig.images.find((i) => i.label === 'tiny_conv map 0')!.raster;
    const bright = (px: number) => pixelAt(edge, px, 3).join();
    expect(bright(2)).toBe(bright(3));
    expect(bright(0)).toBe(bright(5));
    expect(bright(0)).not.toBe(bright(2));
  });

  it('refuses an input of the wrong shape, naming the model and the expected shape', async () => {
    const x = tf.zeros([28, 28, 1]);
    await expect(featureMaps(model, x)).rejects.toThrow(ShapeError);
    await expect(featureMaps(model, x)).rejects.toThrow(
      'featureMaps: expected shape [8, 8, 1], got [28, 28, 1] (model "tiny_cnn" takes examples of shape [8, 8, 1] (or a batch of one, [1, 8, 8, 1])).',
    );
    const batch = tf.zeros([2, 8, 8, 1]);
    await expect(featureMaps(model, batch)).rejects.toThrow(ShapeError);
    x.dispose();
    batch.dispose();
  });

  it('activationGrid draws one map per channel of a tensor', async () => {
    const t = tf.tidy(() =>
      tf.stack([tf.zeros([4, 4]), tf.ones([4, 4]), tf.reshape(tf.linspace(0, 1, 16), [4, 4])], 2),
    );
    const fig = await activationGrid(t, { label: 'x' });
    t.dispose();
    expect(fig.images.filter((i) => i.label?.startsWith('x map'))).toHaveLength(3);
    expect(isConstant(fig.images[0]!.raster)).toBe(true);
    expect(isConstant(fig.images[2]!.raster)).toBe(false);
  });
});

describe('topActivatingInputs', () => {
  it('finds the examples whose edge channel responds most, in order', async () => {
    // example i has a step of height i at column 4: the edge channel's mean grows with i
    const xs = tf.tidy(() =>
      tf.stack([0, 3, 1, 4, 2].map((s) => tf.concat([tf.zeros([8, 4, 1]), tf.fill([8, 4, 1], s)], 1))),
    );
    const before = numTensors();
    const top = await topActivatingInputs(model, xs, { layer: 'tiny_conv', unit: 0, k: 3, batchSize: 2 });
    expect(numTensors()).toBe(before);
    expect(top.indices).toEqual([3, 1, 4]);
    expect(top.values[0]).toBeCloseTo((4 * 3 * 2 * 6) / 36, 5); // 2 columns of 6 rows, each 3·4, over 36 positions
    expect(marks(top.figure, 'image')).toHaveLength(3);
    await expect(topActivatingInputs(model, xs, { layer: 'nope', unit: 0 })).rejects.toThrow(
      /has no layer nope/,
    );
    await expect(topActivatingInputs(model, xs, { layer: 0, unit: 5 })).rejects.toThrow(
      /has 2 units.*unit 5 does not exist/,
    );
    xs.dispose();
  });
});
