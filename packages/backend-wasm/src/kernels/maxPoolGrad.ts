// MaxPoolGrad for wasm: routes each output's gradient to the first maximum of its window.
//
// tfjs-backend-wasm 4.22's own MaxPoolGrad starts every window's running maximum at 0 instead of -∞, so a
// window whose values are all ≤ 0 gives its gradient to nobody (a 4×4 input of -1…-16 pooled 2×2 gets
// gradient only at index 0). This kernel follows tfjs-backend-cpu exactly: the first position, in row-major
// window order, holding the window's largest value gets dy; padding never wins.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, heapF32 } from './heap.js';
import { maxPoolGradSimd } from './maxPoolGradSimd.js';

const maxPoolGrad: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { dy, input, output } = inputs as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
    filterSize: [number, number] | number;
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = backend.makeOutput(input.shape, 'float32');
  const out = heapF32(backend, dx);
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
  const {
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    effectiveFilterHeight,
    effectiveFilterWidth,
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const y = heapF32(backend, output);
  // The forward output holds each window's maximum, so the first window position equal to it is the
  // first maximum (what tfjs-backend-cpu picks); scanning stops there.
  const inside =
    dilationHeight === 1 &&
    dilationWidth === 1 &&
    top === 0 &&
    left === 0 &&
    (outHeight - 1) * strideHeight + effectiveFilterHeight <= inHeight &&
    (outWidth - 1) * strideWidth + effectiveFilterWidth <= inWidth;
  const KH = effectiveFilterHeight;
  const KW = effectiveFilterWidth;
  // (The pass's loops run at least once: it takes only non-empty rows of windows.)
  const sideBySide =
    inside && strideHeight === KH && strideWidth === KW && C > 0 && C % 4 === 0 && outWidth > 0;
  const simd = sideBySide ? maxPoolGradSimd(backend) : undefined;
  if (simd) {
    // Windows side by side, channels a multiple of 4: the SIMD pass, one row of windows a call (maxPoolGradSimd.ts).
    // It writes every position a window covers; rows and columns past the last window stay zero.
    if (outHeight * KH !== inHeight || outWidth * KW !== inWidth) out.fill(0);
    const rowBytes = inWidth * C * 4;
    for (let n = 0; n < batchSize; n++) {
      for (let yr = 0; yr < outHeight; yr++) {
        const xAt = (n * inHeight + yr * KH) * inWidth * C * 4;
        const yAt = (n * outHeight + yr) * outWidth * C * 4;
        simd(
          x.byteOffset + xAt,
          y.byteOffset + yAt,
          g.byteOffset + yAt,
          out.byteOffset + xAt,
          outWidth,
          C / 4,
          KH,
          KW,
          rowBytes,
        );
      }
    }
    return dx;
  }
  out.fill(0);
  if (inside) {
    // Every window lies inside the image ('valid' pooling, LeNet's 2×2 stride 2): no bounds checks, and the window
    // is walked by offsets from its corner.
    const rowStride = inWidth * C;
    for (let n = 0; n < batchSize; n++) {
      const xBatch = n * inHeight * rowStride;
      for (let yr = 0; yr < outHeight; yr++) {
        for (let yc = 0; yc < outWidth; yc++) {
          const corner = xBatch + yr * strideHeight * rowStride + yc * strideWidth * C;
          const o = ((n * outHeight + yr) * outWidth + yc) * C;
          for (let d = 0; d < C; d++) {
            const target = y[o + d];
            search: for (let wr = 0; wr < effectiveFilterHeight; wr++) {
              const row = corner + wr * rowStride + d;
              for (let wc = 0; wc < effectiveFilterWidth; wc++) {
                const at = row + wc * C;
                if (x[at] === target) {
                  out[at] += g[o + d];
                  break search;
                }
              }
            }
          }
        }
      }
    }
    return dx;
  }
  for (let n = 0; n < batchSize; n++) {
    const xBatch = n * inHeight * inWidth * C;
    for (let yr = 0; yr < outHeight; yr++) {
      const r0 = yr * strideHeight - top;
      for (let yc = 0; yc < outWidth; yc++) {
        const c0 = yc * strideWidth - left;
        const o = ((n * outHeight + yr) * outWidth + yc) * C;
        for (let d = 0; d < C; d++) {
          const target = y[o + d];
          search: for (let wr = 0; wr < effectiveFilterHeight; wr += dilationHeight) {
            const r = r0 + wr;
            if (r < 0 || r >= inHeight) continue;
            for (let wc = 0; wc < effectiveFilterWidth; wc += dilationWidth) {
              const c = c0 + wc;
              if (c < 0 || c >= inWidth) continue;
              const at = xBatch + (r * inWidth + c) * C + d;
              if (x[at] === target) {
                out[at] += g[o + d];
                break search;
              }
            }
          }
        }
      }
    }
  }
  return dx;
};

/** The corrected MaxPoolGrad kernel for the 'wasm' backend. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
