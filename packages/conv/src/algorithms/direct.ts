import { hasKernels, tf, type Tensor } from '@nutshell/tensor';
import { samePads, type ConvGeometry } from '../geometry.js';
import { fusedConvGradientRegistered } from './fusedConvGradient.js';
import { dilateKernel, padInput, perGroup } from './reshaping.js';

function isSamePadding(g: ConvGeometry, kh: number, kw: number): boolean {
  const [t, b] = samePads(g.inHeight, kh, g.strides[0]);
  const [l, r] = samePads(g.inWidth, kw, g.strides[1]);
  return g.pads[0][0] === t && g.pads[0][1] === b && g.pads[1][0] === l && g.pads[1][1] === r;
}

/**
 * The input, kernel and padding the backend's kernel gets: dilation applied by spreading the kernel's taps (tfjs's
 * conv gradients refuse dilations > 1), padding other than TensorFlow's 'same' applied with an explicit pad.
 */
function directOperands(x: Tensor, w: Tensor, g: ConvGeometry) {
  const dilated = g.dilations[0] > 1 || g.dilations[1] > 1;
  const wk = dilated ? dilateKernel(w, g.dilations) : w;
  const kh = g.effectiveKernelHeight;
  const kw = g.effectiveKernelWidth;
  const noPads = g.pads.every(([a, b]) => a === 0 && b === 0);
  const same = !noPads && isSamePadding(g, kh, kw);
  const xin = noPads || same ? x : padInput(x, g);
  const pad: 'same' | 'valid' = same ? 'same' : 'valid';
  const strides = [g.strides[0], g.strides[1]] as [number, number];
  return { wk, kh, kw, same, xin, pad, strides };
}

/**
 * The backend's own convolution kernel (`tf.conv2d`, or `tf.depthwiseConv2d` when every group has one input
 * channel), with the operands of `directOperands`.
 */
export function directConv2d(x: Tensor, w: Tensor, g: ConvGeometry): Tensor {
  const { wk, kh, kw, same, xin, pad, strides } = directOperands(x, w, g);
  if (g.groups === 1) return tf.conv2d(xin as tf.Tensor4D, wk as tf.Tensor4D, strides, pad);
  if (g.groups === g.inChannels) {
    // Depthwise: output channel c·m + j uses filter j of input channel c, exactly the grouped layout.
    const multiplier = g.outChannels / g.inChannels;
    const wd = tf.reshape(wk, [kh, kw, g.inChannels, multiplier]) as tf.Tensor4D;
    return tf.depthwiseConv2d(xin as tf.Tensor4D, wd, strides, pad);
  }
  const xg = same ? padInput(x, g) : xin;
  const gv = {
    ...g,
    pads: [
      [0, 0],
      [0, 0],
    ] as const,
    dilations: [1, 1] as const,
    effectiveKernelHeight: kh,
    effectiveKernelWidth: kw,
  };
  return perGroup(xg, wk, gv, (xi, wi) => tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, strides, 'valid'));
}

/** The activations `directConv2dFused` applies in the kernel (those whose gradient `fusedConvGradient` knows). */
export type FusedActivation = 'linear' | 'relu';

/**
 * Whether `directConv2dFused` takes this problem on the current backend: one group, and a backend with a
 * `FusedConv2D` kernel (every backend Nutshell ships has one).
 */
export function canFuseDirect(g: ConvGeometry): boolean {
  return g.groups === 1 && hasKernels([tf.FusedConv2D]) && fusedConvGradientRegistered();
}

/**
 * `activation(directConv2d(x, w) + bias)` as one `FusedConv2D` kernel, differentiable through the gradient
 * registered in `fusedConvGradient.ts`. A backend then adds the bias and applies the activation as it writes the
 * convolution's output, instead of running a broadcast `Add` and a `Relu` over it. Only where `canFuseDirect`.
 */
export function directConv2dFused(
  x: Tensor,
  w: Tensor,
  bias: Tensor,
  activation: FusedActivation,
  g: ConvGeometry,
): Tensor {
  const { wk, xin, pad, strides } = directOperands(x, w, g);
  const attrs = {
    strides,
    pad,
    dataFormat: 'NHWC',
    dilations: [1, 1],
    dimRoundingMode: undefined,
    activation,
  };
  return tf
    .engine()
    .runKernel(tf.FusedConv2D, { x: xin, filter: wk, bias }, attrs as unknown as tf.NamedAttrMap) as Tensor;
}
