// A one-channel convolution with few filters, run on ONNX Runtime's NCHWc kernel with pairs of columns as channels.
//
// The NCHWc Conv (nchwc.ts) computes a whole block of output channels (16 on AVX-512) per pixel, so W3's first
// layer, 8 filters over a grey image, spent half its multiply-adds on padded filters. Read x [n, h, w, 1] as
// [n, h, w/2, 2] (the same memory: column 2j + p is channel p of column j) and compute two output columns per
// pixel, as 2·co channels: output column 2j + q, filter f, is channel q·co + f, and the output [n, oh, ow/2, 2·co]
// is the same memory as [n, oh, ow, co]. Input column 2(j + k) + p meets filter column 2k + p − q, so the pair filter
// is (kw + 1)/2 columns wide with zeros where that tap is outside the filter. On W3's conv 1 ([64,28,28,1] → 8, 5×5,
// relu) this took 0.30 against 0.47 ms (min of 200 calls, interleaved, 2026-12-06 08:17 UTC, load 3.3). With a
// whole block of filters (the main job's conv 1, [32,28,28,1] → 16) nothing is padded and the pairs do 20% more
// multiply-adds: faster on the graph alone (0.18–0.19 against 0.22–0.26 ms) but not through the kernel (0.29–0.33
// against 0.29–0.32 ms, 08:21 UTC, load 2.8), so that case keeps the plain NCHWc graph.
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Whether the convolution runs as column pairs: one input channel, at most half a block of filters, stride and
 * dilation 1, no padding, an even width and an odd filter width (so the output width is even too).
 */
export function columnPairsFit(info: tf.backend_util.Conv2DInfo, group: number, block: number): boolean {
  const { top, left, bottom, right } = info.padInfo;
  return (
    block > 0 &&
    group === 1 &&
    info.inChannels === 1 &&
    info.outChannels > 0 &&
    2 * info.outChannels <= block &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    top === 0 &&
    left === 0 &&
    bottom === 0 &&
    right === 0 &&
    info.inWidth % 2 === 0 &&
    info.filterWidth % 2 === 1 &&
    info.outWidth > 0 &&
    info.outHeight > 0
  );
}

/**
 * ONNX weights [co, 1, kh, kw] as the pair filter [2·co, 2, kh, (kw + 1)/2]: output channel q·co + f, input channel
 * p, column k holds w[f, 0, r, 2k + p − q] where that column exists, else 0.
 */
export function columnPairWeights(w: Float32Array, CO: number, KH: number, KW: number): Float32Array {
  const KP = (KW + 1) / 2;
  const out = new Float32Array(2 * CO * 2 * KH * KP);
  for (let q = 0; q < 2; q++)
    for (let f = 0; f < CO; f++)
      for (let p = 0; p < 2; p++)
        for (let r = 0; r < KH; r++)
          for (let k = 0; k < KP; k++) {
            const kw = 2 * k + p - q;
            if (kw >= 0 && kw < KW)
              out[(((q * CO + f) * 2 + p) * KH + r) * KP + k] = w[(f * KH + r) * KW + kw];
          }
  return out;
}

/** The bias of the pair convolution: the filters' bias twice (output columns 2j and 2j + 1). */
export function columnPairBias(bias: Float32Array): Float32Array {
  const out = new Float32Array(2 * bias.length);
  out.set(bias);
  out.set(bias, bias.length);
  return out;
}
