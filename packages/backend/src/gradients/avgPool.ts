// The gradient of avgPool with padding. The forward pass divides each window by the number of positions
// inside the image, but tfjs 4.22's AvgPoolGrad kernels (cpu, wasm, webgl, webgpu) divide by the full
// window size, so with 'same' padding the gradient at the borders is too small (3×3 stride 1: corners get
// 4/9 of what they should). Here the padded case becomes a 'valid' pooling of the zero-padded input
// scaled by (window size / count), whose gradient every backend computes the same, correct way.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs-core';

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function avgPoolGradKernel(dy: Tensor, input: Tensor, attrs: PoolAttrs): Tensor {
  return tf.engine().runKernel(tf.AvgPoolGrad, { dy, input }, attrs as unknown as NamedAttrMap) as Tensor;
}

/** window size / positions inside the image, for each output position: shape [1, outH, outW, 1]. */
function borderScale(info: tf.backend_util.Conv2DInfo): Tensor {
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, inHeight, inWidth } = info;
  const count1d = (o: number, stride: number, before: number, size: number, k: number) => {
    const start = o * stride - before;
    return Math.min(start + k, size) - Math.max(start, 0);
  };
  const scale = new Float32Array(outHeight * outWidth);
  for (let r = 0; r < outHeight; r++) {
    for (let c = 0; c < outWidth; c++) {
      const inside = count1d(r, strideHeight, info.padInfo.top, inHeight, filterHeight) * count1d(c, strideWidth, info.padInfo.left, inWidth, filterWidth);
      scale[r * outWidth + c] = (filterHeight * filterWidth) / inside;
    }
  }
  return tf.tensor4d(scale, [1, outHeight, outWidth, 1]);
}

/** The corrected gradient of the AvgPool kernel. */
export const avgPoolGradConfig: GradConfig = {
  kernelName: tf.AvgPool,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const a = attrs as unknown as PoolAttrs;
    return {
      x: () => {
        const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
        const { top, left } = info.padInfo;
        const bottom = (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - top;
        const right = (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - left;
        if (top === 0 && left === 0 && bottom <= 0 && right <= 0) return avgPoolGradKernel(dy as Tensor, x, a);
        const paddedShape: number[] = [x.shape[0] as number, info.inHeight + top + Math.max(0, bottom), info.inWidth + left + Math.max(0, right), x.shape[3] as number];
        const dPadded = avgPoolGradKernel(tf.mul(dy as Tensor, borderScale(info)), tf.zeros(paddedShape), { ...a, pad: 'valid' });
        return tf.slice(dPadded as Tensor4D, [0, top, left, 0], x.shape as [number, number, number, number]);
      },
    };
  },
};
