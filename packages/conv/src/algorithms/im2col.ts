import { tf, type Tensor } from '@nutshell/tensor';
import type { ConvGeometry } from '../geometry.js';
import { padInput, takeEvery } from './reshaping.js';

/**
 * im2col: every output position's receptive field (kh·kw·channels values) becomes one row of a patch matrix,
 * and the convolution becomes one matrix product with the kernel reshaped to `[kh·kw·channels, filters]`
 * (one product per group). Memory grows with kh·kw, speed comes from the backend's matmul.
 */
export function im2colConv2d(x: Tensor, w: Tensor, g: ConvGeometry): Tensor {
  const xp = padInput(x, g);
  const { kernelHeight: kh, kernelWidth: kw, outHeight: oh, outWidth: ow, batch: n, groups: G } = g;
  const patches: Tensor[] = [];
  for (let a = 0; a < kh; a++) {
    const rows = takeEvery(xp, 1, a * g.dilations[0], oh, g.strides[0]);
    for (let b = 0; b < kw; b++) patches.push(takeEvery(rows, 2, b * g.dilations[1], ow, g.strides[1]));
  }
  // [n, oh, ow, kh·kw·C], ordered (a, b, c) like the kernel's first three axes.
  const cols = patches.length === 1 ? patches[0] : tf.concat(patches, 3);
  const m = n * oh * ow;
  const cin = g.inChannels / G;
  const cout = g.outChannels / G;
  if (G === 1) {
    const y = tf.matMul(tf.reshape(cols, [m, kh * kw * cin]), tf.reshape(w, [kh * kw * cin, cout]));
    return tf.reshape(y, [n, oh, ow, g.outChannels]);
  }
  const colsG = tf.reshape(tf.transpose(tf.reshape(cols, [m, kh * kw, G, cin]), [2, 0, 1, 3]), [G, m, kh * kw * cin]);
  const wG = tf.transpose(tf.reshape(w, [kh * kw * cin, G, cout]), [1, 0, 2]);
  const y = tf.matMul(colsG, wG); // [G, m, cout]
  return tf.reshape(tf.transpose(y, [1, 0, 2]), [n, oh, ow, g.outChannels]);
}
