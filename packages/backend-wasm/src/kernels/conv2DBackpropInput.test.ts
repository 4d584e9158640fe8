import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/backend';
import { onWasm, uniforms } from '../test-utils/wasmTests.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { col2imSimd } from './col2imSimd.js';

onWasm();

function values(n: number, seed: number): Float32Array {
  return Float32Array.from(uniforms(n, seed), (u) => u - 0.5);
}

/** dx of conv2d(x, w, stride, pad) in float64 by loops, and Σ|terms| per element (the scale of rounding error). */
function reference(
  dy: Float32Array,
  w: Float32Array,
  xShape: number[],
  wShape: number[],
  info: tf.backend_util.Conv2DInfo,
) {
  const [B, H, W, CI] = xShape;
  const [KH, KW, , CO] = wShape;
  const { outHeight: OH, outWidth: OW, strideHeight: S, strideWidth: T } = info;
  const dx = new Float64Array(B * H * W * CI);
  const abs = new Float64Array(dx.length);
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let kh = 0; kh < KH; kh++)
          for (let kw = 0; kw < KW; kw++) {
            const r = oh * S + kh - info.padInfo.top;
            const c = ow * T + kw - info.padInfo.left;
            if (r < 0 || r >= H || c < 0 || c >= W) continue;
            for (let ci = 0; ci < CI; ci++)
              for (let co = 0; co < CO; co++) {
                const term =
                  dy[((b * OH + oh) * OW + ow) * CO + co] * w[((kh * KW + kw) * CI + ci) * CO + co];
                dx[((b * H + r) * W + c) * CI + ci] += term;
                abs[((b * H + r) * W + c) * CI + ci] += Math.abs(term);
              }
          }
  return { dx, abs };
}

describe('Conv2DBackpropInput on wasm against float64 loops', () => {
  it('compiles the col2im SIMD pass over the heap in Node', () => {
    expect(col2imSimd(tf.backend() as unknown as BackendWasm)).toBeTypeOf('function');
  });

  it.each([
    [[64, 12, 12, 8], [5, 5, 8, 16], 1, 'valid'], // LeNet's second layer: matmul + col2im
    [[2, 7, 9, 12], [3, 2, 12, 5], 1, 'valid'], // non-square filter, 12 channels: matmul + col2im
    [[2, 7, 9, 4], [3, 3, 4, 6], 1, 'same'], // padded: the conv path
    [[2, 9, 9, 4], [3, 3, 4, 6], 2, 'valid'], // strided: the conv path
    [[2, 7, 7, 3], [3, 3, 3, 5], 1, 'valid'], // 3 channels: the conv path
  ])('x %j, filter %j, stride %i, %s', async (xShape, wShape, stride, pad) => {
    const info = tf.backend_util.computeConv2DInfo(
      xShape as [number, number, number, number],
      wShape as [number, number, number, number],
      stride,
      1,
      pad as 'valid' | 'same',
    );
    const dyv = values(tf.util.sizeFromShape(info.outShape), 7);
    const wv = values(tf.util.sizeFromShape(wShape), 8);
    const dy = tf.tensor(dyv, info.outShape);
    const w = tf.tensor(wv, wShape);
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    const dx = tf.conv2dTranspose(
      dy as tf.Tensor4D,
      w as tf.Tensor4D,
      xShape as [number, number, number, number],
      stride,
      pad as 'valid' | 'same',
    );
    const got = await dx.data();
    const { dx: want, abs } = reference(dyv, wv, xShape, wShape, info);
    let worst = 0;
    for (let i = 0; i < want.length; i++)
      worst = Math.max(worst, Math.abs(got[i] - want[i]) / (abs[i] * 2 ** -24 + 1e-30));
    // Each element sums KH·KW·CO products; a float32 sum of n terms is off by at most about n·2⁻²⁴·Σ|terms|.
    expect(worst).toBeLessThanOrEqual(wShape[0] * wShape[1] * wShape[3] + 2);
    dx.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    tf.dispose([dy, w]);
  });
});
