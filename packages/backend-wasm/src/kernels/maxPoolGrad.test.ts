import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/backend';
import { onWasm, uniforms } from '../test-utils/wasmTests.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { maxPoolGradSimd } from './maxPoolGradSimd.js';

onWasm();

/** Small integers ≤ 0 and > 0 (so windows hold ties and all-negative windows), from a fixed seed. */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from(uniforms(n, seed), (u) => Math.floor(u * 7) - 4);
}

/**
 * The gradient of maxPool by loops: each window's dy goes to the first position, row-major, whose value equals the
 * window's maximum (tfjs-backend-cpu's rule), summed where windows overlap. The maximum is computed here too.
 */
function reference(x: Float32Array, shape: number[], k: number, s: number, dy: Float32Array): Float64Array {
  const [N, H, W, C] = shape;
  const OH = Math.floor((H - k) / s) + 1;
  const OW = Math.floor((W - k) / s) + 1;
  const dx = new Float64Array(x.length);
  const at = (n: number, r: number, c: number, ch: number) => ((n * H + r) * W + c) * C + ch;
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let ch = 0; ch < C; ch++) {
          let best = -Infinity;
          let where = -1;
          for (let r = 0; r < k; r++)
            for (let c = 0; c < k; c++) {
              const v = x[at(n, oy * s + r, ox * s + c, ch)];
              if (v > best) [best, where] = [v, at(n, oy * s + r, ox * s + c, ch)];
            }
          dx[where] += dy[((n * OH + oy) * OW + ox) * C + ch];
        }
  return dx;
}

describe('MaxPoolGrad on wasm against loops (the SIMD pass for side-by-side windows, JavaScript otherwise)', () => {
  it('compiles the SIMD pass over the heap in Node', () => {
    expect(maxPoolGradSimd(tf.backend() as unknown as BackendWasm)).toBeTypeOf('function');
  });

  it.each([
    [[64, 24, 24, 8], 2, 2], // LeNet's first pool (SIMD)
    [[3, 25, 23, 12], 2, 2], // a last row and column no window covers (SIMD, zeroed tails)
    [[2, 9, 9, 4], 3, 3], // 3×3 windows (SIMD)
    [[2, 8, 8, 6], 2, 2], // 6 channels: JavaScript
    [[2, 9, 9, 4], 3, 2], // overlapping windows: JavaScript
  ])('%j, window %i, stride %i', async (shape, k, s) => {
    const xv = values(tf.util.sizeFromShape(shape), 5);
    const x = tf.tensor4d(xv, shape as [number, number, number, number]);
    const y = tf.maxPool(x, k, s, 'valid');
    const dyv = values(y.size, 6).map((v) => v + 0.5);
    const dy = tf.tensor(dyv, y.shape);
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    const dx = tf.engine().runKernel(
      tf.MaxPoolGrad,
      { dy, input: x, output: y },
      {
        filterSize: k,
        strides: s,
        pad: 'valid',
      },
    ) as tf.Tensor;
    const got = await dx.data();
    const want = reference(xv, shape, k, s, dyv);
    let differing = 0;
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) differing++;
    expect(differing).toBe(0);
    dx.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    tf.dispose([x, y, dy]);
  });

  it('gives a window with NaN nothing when its maximum is NaN, as the JavaScript loop did (=== never holds)', async () => {
    // Four channels, one 2×2 window: channel 0 holds a NaN, channel 1 ties at its maximum 3.
    const x = tf.tensor4d([NaN, 3, 1, -1, 0, 3, 2, -2, 1, 1, 2, -3, 2, 0, 0, -4], [1, 2, 2, 4]);
    const dy = tf.tensor4d([10, 20, 30, 40], [1, 1, 1, 4]);
    const y = tf.tensor4d([NaN, 3, 2, -1], [1, 1, 1, 4]); // a forward output that kept the NaN
    const dx = tf.engine().runKernel(
      tf.MaxPoolGrad,
      { dy, input: x, output: y },
      {
        filterSize: 2,
        strides: 2,
        pad: 'valid',
      },
    ) as tf.Tensor;
    expect(Array.from(await dx.data())).toEqual([0, 20, 0, 40, 0, 0, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    tf.dispose([x, dy, y, dx]);
  });
});
