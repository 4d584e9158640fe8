// The kernels the native backend runs in ONNX Runtime, and the fallback bookkeeping: every other kernel, and every
// case these kernels do not take, is the wasm kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { conv2DConfig, depthwiseConv2dNativeConfig, fusedConv2DConfig } from './conv2D.js';
import {
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
} from './conv2DBackprop.js';
import { batchMatMulConfig, fusedMatMulConfig } from './matMul.js';

/** A kernel the native backend runs in ONNX Runtime. */
export interface NativeKernel {
  readonly kernelName: string;
  /** The ONNX operators it runs. */
  readonly onnx: string;
  /** Builds the kernel; `fallback` is wasm's kernel (counted as a fallback), `wasm` the same, uncounted. */
  readonly make: (fallback: KernelFunc, wasm: KernelFunc) => KernelConfig;
}

/** Every kernel the native backend runs natively (the rest are wasm's). */
export const NATIVE_KERNELS: readonly NativeKernel[] = [
  { kernelName: tf.BatchMatMul, onnx: 'MatMul', make: batchMatMulConfig },
  { kernelName: tf._FusedMatMul, onnx: 'MatMul (+ bias and activation here)', make: fusedMatMulConfig },
  {
    kernelName: tf.Conv2D,
    onnx: 'NCHWc Conv between reorders where the channels allow, else Transpose, Conv, Transpose',
    make: conv2DConfig,
  },
  {
    kernelName: tf.FusedConv2D,
    onnx: 'as Conv2D, with the bias and a relu or leaky relu in the graph (other activations here)',
    make: fusedConv2DConfig,
  },
  {
    kernelName: tf.DepthwiseConv2dNative,
    onnx: 'Transpose, Conv with one group per channel, Transpose',
    make: depthwiseConv2dNativeConfig,
  },
  {
    kernelName: tf.Conv2DBackpropInput,
    onnx: 'Transpose, ConvTranspose, Transpose',
    make: conv2DBackpropInputConfig,
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    onnx: 'Transpose, ConvTranspose with one group per channel, Transpose',
    make: depthwiseConv2dNativeBackpropInputConfig,
  },
  {
    kernelName: tf.Conv2DBackpropFilter,
    onnx: "NCHWc Conv dilated by the stride where batch and co fill whole blocks; else wasm's patch-row matmul where it applies; else Transpose ×2, Conv",
    make: conv2DBackpropFilterConfig,
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    onnx: 'Transpose ×2, Reshape, Conv with one group per channel, dilated by the stride',
    make: depthwiseConv2dNativeBackpropFilterConfig,
  },
];

const fallbacks = new Map<string, number>();

/** How many calls of each native kernel ran on the wasm kernel instead, since the process started. */
export function fallbackCounts(): Record<string, number> {
  return Object.fromEntries(fallbacks);
}

/** `fallback` that counts its calls under `kernelName`. */
export function counted(kernelName: string, fallback: KernelFunc): KernelFunc {
  return (args) => {
    fallbacks.set(kernelName, (fallbacks.get(kernelName) ?? 0) + 1);
    return fallback(args);
  };
}

/**
 * `native` that runs `fallback` for a case ONNX Runtime rejects (an error from the native library), so that such a
 * case costs speed, never an answer. tfjs's own shape errors come from the fallback, which raises them.
 */
export function withFallback(native: KernelFunc, fallback: KernelFunc): KernelFunc {
  return (args) => {
    try {
      return native(args);
    } catch {
      return fallback(args);
    }
  };
}
