import { tf, type Tensor } from '@nutshell/tensor';
import { samePads, type ConvGeometry } from '../geometry.js';
import { dilateKernel, padInput, perGroup } from './reshaping.js';

function isSamePadding(g: ConvGeometry, kh: number, kw: number): boolean {
  const [t, b] = samePads(g.inHeight, kh, g.strides[0]);
  const [l, r] = samePads(g.inWidth, kw, g.strides[1]);
  return g.pads[0][0] === t && g.pads[0][1] === b && g.pads[1][0] === l && g.pads[1][1] === r;
}

/**
 * The backend's own convolution kernel (`tf.conv2d`, or `tf.depthwiseConv2d` when every group has one input
 * channel). Dilation is applied by spreading the kernel's taps, because tfjs's conv gradients refuse
 * dilations > 1; padding other than TensorFlow's 'same' is applied with an explicit pad.
 */
export function directConv2d(x: Tensor, w: Tensor, g: ConvGeometry): Tensor {
  const dilated = g.dilations[0] > 1 || g.dilations[1] > 1;
  const wk = dilated ? dilateKernel(w, g.dilations) : w;
  const kh = g.effectiveKernelHeight;
  const kw = g.effectiveKernelWidth;
  const noPads = g.pads.every(([a, b]) => a === 0 && b === 0);
  const same = !noPads && isSamePadding(g, kh, kw);
  const xin = noPads || same ? x : padInput(x, g);
  const pad = same ? 'same' : 'valid';
  const strides = [g.strides[0], g.strides[1]] as [number, number];
  if (g.groups === 1) return tf.conv2d(xin as tf.Tensor4D, wk as tf.Tensor4D, strides, pad);
  if (g.groups === g.inChannels) {
    // Depthwise: output channel c·m + j uses filter j of input channel c, exactly the grouped layout.
    const multiplier = g.outChannels / g.inChannels;
    const wd = tf.reshape(wk, [kh, kw, g.inChannels, multiplier]) as tf.Tensor4D;
    return tf.depthwiseConv2d(xin as tf.Tensor4D, wd, strides, pad);
  }
  const xg = same ? padInput(x, g) : xin;
  const gv = { ...g, pads: [[0, 0], [0, 0]] as const, dilations: [1, 1] as const, effectiveKernelHeight: kh, effectiveKernelWidth: kw };
  return perGroup(xg, wk, gv, (xi, wi) => tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, strides, 'valid'));
}
