import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import '../index.js';

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe("Nutshell's wasm kernels (values worked out by hand)", () => {
  it('MaxPoolGrad gives windows whose maximum is ≤ 0 their gradient', async () => {
    // 4×4 input −1…−16, 2×2 windows: each window's maximum is its top-left value.
    const x = tf.tensor4d(
      seq(16, (i) => -(i + 1)),
      [1, 4, 4, 1],
    );
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(x);
    expect(Array.from(await g.data())).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('OneHot honours the dtype and on/off values (tfjs wrote int32 bits into float32 rows)', async () => {
    const labels = tf.tensor1d([2, 0, 5, 1], 'int32');
    const f = tf.oneHot(labels, 3, 1, 0, 'float32');
    expect(f.dtype).toBe('float32');
    expect(Array.from(await f.data())).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
    const g = tf.oneHot(labels, 3, 0.75, -0.5, 'float32');
    expect(Array.from(await g.data())).toEqual([
      -0.5, -0.5, 0.75, 0.75, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, 0.75, -0.5,
    ]);
    const i = tf.oneHot(labels, 3);
    expect(i.dtype).toBe('int32');
    expect(Array.from(await i.data())).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('MaxPoolGrad routes ties to the first maximum and sums overlapping windows', async () => {
    const x = tf.tensor4d([5, 5, 1, 5, 5, 1, 0, 0, 2], [1, 3, 3, 1]);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 1, 'valid')))(x);
    // windows (0,0),(0,1),(1,0),(1,1) have maximum 5 first found at 0, 1, 3, 4
    expect(Array.from(await g.data())).toEqual([1, 1, 0, 1, 1, 0, 0, 0, 0]);
  });

  it('Conv2DBackpropFilter: d/dW Σ conv2d(x, W) is the sum of the inputs each tap sees', async () => {
    const x = tf.tensor4d(
      seq(16, (i) => i + 1),
      [1, 4, 4, 1],
    );
    const w = tf.zeros([2, 2, 1, 1]) as tf.Tensor4D;
    const gValid = tf.grad((k: tf.Tensor) =>
      tf.sum(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'valid')),
    )(w);
    // tap (0,0) sees rows 0-2, cols 0-2: 1+2+3+5+6+7+9+10+11 = 54, and so on.
    expect(Array.from(await gValid.data())).toEqual([54, 63, 90, 99]);
    const gStrided = tf.grad((k: tf.Tensor) =>
      tf.sum(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 2, 'valid')),
    )(w);
    // stride 2: windows at (0,0),(0,2),(2,0),(2,2); tap (0,0) sees 1+3+9+11 = 24
    expect(Array.from(await gStrided.data())).toEqual([24, 28, 40, 44]);
  });

  it('Conv2DBackpropInput: d/dx Σ conv2d(x, W) counts how often each pixel meets each tap', async () => {
    const x = tf.zeros([1, 3, 3, 1]) as tf.Tensor4D;
    const w = tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')))(x);
    expect(Array.from(await g.data())).toEqual([1, 3, 2, 4, 10, 6, 3, 7, 4]);
    const gs = tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')))(
      tf.zeros([1, 3, 3, 1]) as tf.Tensor4D,
    );
    // 'same' with stride 2 on 3×3: windows at (0,0),(0,2),(2,0),(2,2), padded bottom/right by 1
    expect(Array.from(await gs.data())).toEqual([1, 2, 1, 3, 4, 3, 1, 2, 1]);
  });

  it('Conv2DBackpropInput falls back to tfjs for padding wider than the filter, with the same answer', async () => {
    const x = tf.zeros([1, 3, 3, 1]) as tf.Tensor4D;
    const w = tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]);
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [2, 2],
      [2, 2],
      [0, 0],
    ];
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w, 1, pad)))(x);
    // with that much padding every pixel meets every tap exactly once
    expect(Array.from(await dx.data())).toEqual(Array(9).fill(10));
  });

  it('GatherV2 with batchDims 1 gathers each batch entry with its own indices', async () => {
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
    const idx = tf.tensor2d([2, 0, 2, 1, 1, 0], [2, 3], 'int32');
    // entry 0 rows 2, 0, 2 of [[1,2],[3,4],[5,6]]; entry 1 rows 1, 1, 0 of [[7,8],[9,10],[11,12]]
    // (tfjs's own wasm kernel gives 11 12 9 10 9 10 for entry 1)
    expect(Array.from(await tf.gather(x, idx, 1, 1).data())).toEqual([5, 6, 1, 2, 5, 6, 9, 10, 9, 10, 7, 8]);
  });

  it('depthwise backprop (input and filter) with a channel multiplier', async () => {
    // 2 channels, multiplier 2, 1×1 filter: y[..., c*2+m] = x[..., c] * W[c, m]
    const x = tf.tensor4d([1, 10, 2, 20], [1, 1, 2, 2]);
    const w = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
    const [gx, gw] = tf.grads((a: tf.Tensor, k: tf.Tensor) =>
      tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, k as tf.Tensor4D, 1, 'valid')),
    )([x, w]);
    expect(Array.from(await gx.data())).toEqual([3, 7, 3, 7]);
    expect(Array.from(await gw.data())).toEqual([3, 3, 30, 30]);
  });

  it('leak no tensors and no heap buffers across training-shaped steps', async () => {
    const x = tf.randomUniform([4, 8, 8, 3]) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([3, 3, 3, 4])) as tf.Variable<tf.Rank.R4>;
    const step = () =>
      tf.tidy(() =>
        tf.grads((a: tf.Tensor, k: tf.Tensor) =>
          tf.sum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, k as tf.Tensor4D, 2, 'same'), 2, 2, 'same')),
        )([x, w]),
      );
    tf.dispose(step());
    const before = tf.memory();
    const buffersBefore = tf.engine().backend.numDataIds();
    for (let i = 0; i < 5; i++) tf.dispose(step());
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    // intermediates made inside the kernels (transposes, rotated filters) are freed too
    expect(tf.engine().backend.numDataIds()).toBe(buffersBefore);
  });
});
