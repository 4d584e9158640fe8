import {
  Dropout,
  Layer,
  Sequential,
  type ApplyOptions,
  type LayerInputShape,
  type Shape,
} from '@nutshell/layers';
import { ShapeError, numTensors, read, tf, type Tensor } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import {
  GlobalAvgPool1D,
  GlobalAvgPool2D,
  GlobalMaxPool1D,
  globalAvgPool1d,
  globalMaxPool1d,
} from '../index.js';

// [3 rows, 3 steps, 2 channels] and a mask with a partly padded row, a row padded in the middle and an all-padded row.
const X = [
  [
    [1, -2],
    [3, 4],
    [5, 10],
  ],
  [
    [-1, -6],
    [2, 0],
    [-3, -5],
  ],
  [
    [7, 8],
    [9, 9],
    [1, 1],
  ],
];
const MASK = [
  [1, 1, 0],
  [1, 0, 1],
  [0, 0, 0],
];
// By hand: the mean / maximum of each channel over the steps the mask keeps; 0 for the all-padded row.
const AVG = [
  [2, 1],
  [-2, -5.5],
  [0, 0],
];
const MAX = [
  [3, 4],
  [-1, -5],
  [0, 0],
];
// d(sum of outputs)/dx: 1 / (real steps) on each real step for the mean; 1 on the winning real step for the maximum.
const AVG_GRAD = [
  [
    [0.5, 0.5],
    [0.5, 0.5],
    [0, 0],
  ],
  [
    [0.5, 0.5],
    [0, 0],
    [0.5, 0.5],
  ],
  [
    [0, 0],
    [0, 0],
    [0, 0],
  ],
];
const MAX_GRAD = [
  [
    [0, 0],
    [1, 1],
    [0, 0],
  ],
  [
    [1, 0],
    [0, 0],
    [0, 1],
  ],
  [
    [0, 0],
    [0, 0],
    [0, 0],
  ],
];

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await read(t));
}

/** Test stand-in for `Embedding({ paddingIndex: 0 })` (in @nutshell/recurrent, not a dependency of conv). */
class PaddedLookup extends Layer {
  readonly className = 'PaddedLookup';
  // id 0 is padding, with a large vector so that counting it would visibly change every pooled value.
  private readonly table = [
    [100, 100],
    [1, 2],
    [3, -4],
    [-5, 6],
  ];
  override computeOutputShape(s: LayerInputShape): Shape {
    const [b, t] = s as Shape;
    return [b, t, 2];
  }
  call(ids: Tensor | Tensor[], _o: ApplyOptions): Tensor {
    return tf.gather(tf.tensor2d(this.table), tf.cast(ids as Tensor, 'int32'));
  }
  override outputMask(ids: Tensor | Tensor[]): Tensor {
    return tf.cast(tf.notEqual(ids as Tensor, 0), 'float32');
  }
}

describe('masked 1-D global pooling', () => {
  for (const [Pool, expected] of [
    [GlobalAvgPool1D, AVG],
    [GlobalMaxPool1D, MAX],
  ] as const) {
    it(`${Pool.name} pools only the real steps, 0 for an all-padded row (apply with a mask)`, async () => {
      const [x, mask] = [tf.tensor3d(X), tf.tensor2d(MASK)];
      const y = new Pool().apply(x, { mask });
      expect(y.shape).toEqual([3, 2]);
      expect(await values(y)).toEqual(expected.flat());
      // A bool mask means the same.
      const boolMask = tf.cast(mask, 'bool');
      const yb = new Pool().apply(x, { mask: boolMask });
      expect(await values(yb)).toEqual(expected.flat());
      tf.dispose([x, mask, y, boolMask, yb]);
    });
  }

  it("the README's example: the padded step is not averaged in", async () => {
    const [x, mask] = [tf.tensor3d([[[1], [3], [100]]]), tf.tensor2d([[1, 1, 0]])];
    const mean = new GlobalAvgPool1D().apply(x, { mask });
    expect(await values(mean)).toEqual([2]);
    tf.dispose([x, mask, mean]);
  });

  it('the functional ops agree with the layers', async () => {
    const [x, mask] = [tf.tensor3d(X), tf.tensor2d(MASK)];
    const [a, m] = [globalAvgPool1d(x, mask), globalMaxPool1d(x, mask)];
    expect(await values(a)).toEqual(AVG.flat());
    expect(await values(m)).toEqual(MAX.flat());
    tf.dispose([x, mask, a, m]);
  });

  for (const [name, pool, expected] of [
    ['globalAvgPool1d', globalAvgPool1d, AVG_GRAD],
    ['globalMaxPool1d', globalMaxPool1d, MAX_GRAD],
  ] as const) {
    it(`${name}: gradients flow only to real steps, finite for an all-padded row`, async () => {
      const [x, mask] = [tf.tensor3d(X), tf.tensor2d(MASK)];
      const g = tf.grad((v: Tensor) => tf.sum(pool(v, mask)))(x);
      expect(await values(g)).toEqual(expected.flat(2));
      tf.dispose([x, mask, g]);
    });
  }

  for (const pool of [globalAvgPool1d, globalMaxPool1d]) {
    it(`${pool.name}: an all-ones mask changes neither the output nor the gradient`, async () => {
      const [x, ones] = [tf.tensor3d(X), tf.ones([3, 3])];
      const f = (m?: Tensor) => tf.grad((v: Tensor) => tf.sum(tf.mul(pool(v, m), tf.tensor1d([1, 2]))))(x);
      const [y0, y1, g0, g1] = [pool(x), pool(x, ones), f(), f(ones)];
      // Equal up to float32 rounding (sum / count against mean): within 1e-6 of values of size ≤ 10.
      for (const [got, want] of [
        [await values(y1), await values(y0)],
        [await values(g1), await values(g0)],
      ]) {
        expect(got.length).toBe(want.length);
        got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-6));
      }
      tf.dispose([x, ones, y0, y1, g0, g1]);
    });
  }

  it('a Sequential passes the padding mask from an embedding-like layer (and through Dropout) to the pools', async () => {
    const ids = tf.tensor2d(
      [
        [1, 2, 0],
        [3, 0, 0],
      ],
      [2, 3],
      'int32',
    );
    const avg = new Sequential([new PaddedLookup(), new GlobalAvgPool1D()]);
    const max = new Sequential([new PaddedLookup(), new Dropout({ rate: 0.5 }), new GlobalMaxPool1D()]);
    const [a, m] = [avg.apply(ids), max.apply(ids)];
    // Row 0: ids 1, 2 → [1, 2], [3, -4]; row 1: id 3 → [-5, 6]. The padding vector [100, 100] never counts.
    expect(await values(a)).toEqual([2, -1, -5, 6]);
    expect(await values(m)).toEqual([3, 2, -5, 6]);
    tf.dispose([ids, a, m]);
  });

  it('outputs no mask: the time axis is gone', () => {
    const [x, mask] = [tf.tensor3d(X), tf.tensor2d(MASK)];
    for (const layer of [new GlobalAvgPool1D(), new GlobalMaxPool1D()]) {
      const y = layer.apply(x, { mask });
      expect(layer.outputMask(x, mask, y)).toBeUndefined();
      y.dispose();
    }
    tf.dispose([x, mask]);
  });

  it('a mask of the wrong shape is a ShapeError naming the layer, and leaks nothing', () => {
    const x = tf.tensor3d(X);
    const bad = [tf.ones([3, 2]), tf.ones([2, 3]), tf.ones([3, 3, 1])];
    const layer = new GlobalAvgPool1D({ name: 'pool' });
    layer.apply(x).dispose(); // build first, so only the failing calls are counted
    const before = numTensors();
    for (const mask of bad) {
      expect(() => layer.apply(x, { mask })).toThrow(ShapeError);
      expect(() => layer.apply(x, { mask })).toThrow(
        `GlobalAvgPool1D 'pool': expected shape [3, 3], got [${mask.shape.join(', ')}] (the mask is [batch, steps]).`,
      );
      expect(() => globalMaxPool1d(x, mask)).toThrow(/^globalMaxPool1d: expected shape \[3, 3\]/);
    }
    expect(numTensors()).toBe(before);
    tf.dispose([x, ...bad]);
  });

  it('a 2-D global pool has no steps to mask and, like other layers that do not read masks, ignores one', async () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
    const mask = tf.tensor2d([
      [1, 0],
      [0, 0],
    ]);
    const y = new GlobalAvgPool2D().apply(x, { mask });
    expect(await values(y)).toEqual([2.5, 6.5]);
    tf.dispose([x, mask, y]);
  });
});
