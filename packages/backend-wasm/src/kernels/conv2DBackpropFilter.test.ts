import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/backend';
import { onWasm, uniforms } from '../test-utils/wasmTests.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { patchRowsSimd } from './patchRowsSimd.js';

onWasm();

function values(n: number, seed: number): Float32Array {
  return Float32Array.from(uniforms(n, seed), (u) => u - 0.5);
}

/** dW of conv2d(x, w) in float64 by loops, and Σ|terms| per element (the scale of rounding error). */
function reference(
  x: Float32Array,
  dy: Float32Array,
  xShape: number[],
  wShape: number[],
  info: tf.backend_util.Conv2DInfo,
) {
  const [B, H, W, CI] = xShape;
  const [KH, KW, , CO] = wShape;
  const { outHeight: OH, outWidth: OW, strideHeight: S, strideWidth: T } = info;
  const dw = new Float64Array(KH * KW * CI * CO);
  const abs = new Float64Array(dw.length);
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
                const term = x[((b * H + r) * W + c) * CI + ci] * dy[((b * OH + oh) * OW + ow) * CO + co];
                dw[((kh * KW + kw) * CI + ci) * CO + co] += term;
                abs[((kh * KW + kw) * CI + ci) * CO + co] += Math.abs(term);
              }
          }
  return { dw, abs };
}

describe('Conv2DBackpropFilter on wasm against float64 loops', () => {
  it('compiles the patch-row copy over the heap in Node', () => {
    expect(patchRowsSimd(tf.backend() as unknown as BackendWasm)).toBeTypeOf('function');
  });

  it.each([
    [[64, 28, 28, 1], [5, 5, 1, 8], 1, 'valid'], // LeNet's first layer: patch rows + matmul
    [[64, 12, 12, 8], [5, 5, 8, 16], 1, 'valid'], // LeNet's second layer: patch rows + matmul
    [[3, 6, 10, 5], [3, 3, 5, 4], 1, 'valid'], // OW 8, 5 channels, non-square input
    [[2, 7, 9, 4], [3, 3, 4, 6], 1, 'same'], // padded: the conv path
    [[2, 9, 9, 4], [3, 3, 4, 6], 2, 'valid'], // strided: the conv path
    [[2, 7, 7, 3], [3, 3, 3, 5], 1, 'valid'], // OW 5: the conv path
  ])('x %j, filter %j, stride %i, %s', async (xShape, wShape, stride, pad) => {
    const info = tf.backend_util.computeConv2DInfo(
      xShape as [number, number, number, number],
      wShape as [number, number, number, number],
      stride,
      1,
      pad as 'valid' | 'same',
    );
    const xv = values(tf.util.sizeFromShape(xShape), 9);
    const dyv = values(tf.util.sizeFromShape(info.outShape), 10);
    const x = tf.tensor(xv, xShape);
    const dy = tf.tensor(dyv, info.outShape);
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    const dw = tf.engine().runKernel(
      tf.Conv2DBackpropFilter,
      { x, dy },
      {
        strides: stride,
        pad,
        dataFormat: 'NHWC',
        filterShape: wShape,
      },
    ) as tf.Tensor;
    expect(dw.shape).toEqual(wShape);
    const got = await dw.data();
    const { dw: want, abs } = reference(xv, dyv, xShape, wShape, info);
    let worst = 0;
    for (let i = 0; i < want.length; i++)
      worst = Math.max(worst, Math.abs(got[i] - want[i]) / (abs[i] * 2 ** -24 + 1e-30));
    // Each element sums n = B·OH·OW products. A float32 sum of n terms is off by at most about n·2⁻²⁴·Σ|terms|, and
    // typically by √n·2⁻²⁴·Σ|terms| (rounding errors of both signs): the data are fixed, so hold the typical bound.
    const n = info.batchSize * info.outHeight * info.outWidth;
    console.log('WORST', worst, n);
    expect(worst).toBeLessThanOrEqual(Math.sqrt(n) + 4);
    dw.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    tf.dispose([x, dy]);
  });
});
