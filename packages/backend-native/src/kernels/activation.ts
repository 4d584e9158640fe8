// Bias and activation after a native matmul or convolution, in place, for the fused kernels (_FusedMatMul,
// FusedConv2D). ONNX Runtime's Gemm/Conv take no activation, and these loops cost O(output), against the product's
// O(output · inner).
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The activations the fused kernels apply here; anything else (prelu) runs on the CPU kernel. */
const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid'] as const;
type Activation = (typeof ACTIVATIONS)[number];

/** Whether bias and activation can be applied here: a bias of one value or one per channel (last axis). */
export function canFuse(activation: unknown, bias: TensorInfo | undefined, channels: number): boolean {
  if (activation != null && !(ACTIVATIONS as readonly unknown[]).includes(activation)) return false;
  if (!bias) return true;
  const n = tf.util.sizeFromShape(bias.shape);
  return (
    bias.dtype === 'float32' &&
    (n === 1 || (n === channels && bias.shape[bias.shape.length - 1] === channels))
  );
}

/** Adds `bias` (one value, or one per channel of the last axis) and applies `activation` to `out`, in place. */
export function applyBiasAndActivation(
  out: Float32Array,
  bias: Float32Array | undefined,
  activation: Activation | undefined,
  leakyreluAlpha = 0.2,
): void {
  if (bias) {
    const c = bias.length;
    if (c === 1) for (let i = 0; i < out.length; i++) out[i] += bias[0];
    else for (let i = 0; i < out.length; i += c) for (let j = 0; j < c; j++) out[i + j] += bias[j];
  }
  switch (activation ?? 'linear') {
    case 'relu':
      for (let i = 0; i < out.length; i++) if (out[i] < 0) out[i] = 0;
      break;
    case 'relu6':
      for (let i = 0; i < out.length; i++) out[i] = Math.min(Math.max(out[i], 0), 6);
      break;
    case 'elu':
      for (let i = 0; i < out.length; i++) if (out[i] < 0) out[i] = Math.exp(out[i]) - 1;
      break;
    case 'leakyrelu':
      for (let i = 0; i < out.length; i++) if (out[i] < 0) out[i] *= leakyreluAlpha;
      break;
    case 'sigmoid':
      for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-out[i]));
      break;
    default:
      break;
  }
}

export type { Activation };
