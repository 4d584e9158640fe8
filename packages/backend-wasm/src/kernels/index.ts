// The kernels Nutshell adds to, or replaces in, tfjs-backend-wasm 4.22.
import * as tf from '@tensorflow/tfjs-core';
import { guardKernels, plainStridedSliceKernel, readSyncValues, replaceKernels } from '@nutshell/backend';
import type { KernelReplacement } from '@nutshell/backend';
import { conv2DBackpropFilterConfig } from './conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './conv2DBackpropInput.js';
import {
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
} from './depthwiseConv2dBackprop.js';
import { gatherV2Config } from './gatherV2.js';
import { identityConfig } from './identity.js';
import { batchMatMulConfig, fusedMatMulConfig } from './matMul.js';
import { maxPoolGradConfig } from './maxPoolGrad.js';
import { oneHotConfig } from './oneHot.js';
import { adamUpdateConfig, sgdUpdateConfig } from './optimizerUpdates.js';
import {
  categoricalAccuracyConfig,
  softmaxCrossEntropyConfig,
  softmaxCrossEntropyGradConfig,
} from './softmaxCrossEntropy.js';
import { reluBackpropConfig } from './reluBackprop.js';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum.js';
import { sumConfig } from './sum.js';
import { makeWideBroadcast } from './wideBroadcast.js';

/** A kernel Nutshell registers for 'wasm', and why (the shared shape every plugin's replacements have). */
type NutshellKernel = KernelReplacement & { readonly why: string };

/** Every kernel `registerWasmKernels` registers, with the reason. */
export const NUTSHELL_WASM_KERNELS: readonly NutshellKernel[] = [
  {
    kernelName: tf.Conv2DBackpropFilter,
    why: 'missing in tfjs-backend-wasm 4.22',
    make: () => conv2DBackpropFilterConfig,
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    why: 'missing in tfjs-backend-wasm 4.22',
    make: () => depthwiseConv2dNativeBackpropInputConfig,
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    why: 'missing in tfjs-backend-wasm 4.22',
    make: () => depthwiseConv2dNativeBackpropFilterConfig,
  },
  {
    kernelName: tf.UnsortedSegmentSum,
    why: "missing in tfjs-backend-wasm 4.22 (gather's gradient)",
    make: () => unsortedSegmentSumConfig,
  },
  {
    kernelName: tf.MaxPoolGrad,
    why: "tfjs's drops the gradient of windows whose maximum is ≤ 0",
    make: () => maxPoolGradConfig,
  },
  {
    kernelName: tf.GatherV2,
    why: "tfjs's is wrong for batchDims > 0 (every batch entry uses the first one's indices)",
    make: gatherV2Config,
  },
  {
    kernelName: tf.OneHot,
    why: "tfjs's ignores the dtype: float32 rows hold int32 bit patterns",
    make: () => oneHotConfig,
  },
  {
    kernelName: tf.Conv2DBackpropInput,
    why: "tfjs's is a plain loop ~10× slower than XNNPACK's convolution",
    make: conv2DBackpropInputConfig,
  },
  {
    kernelName: tf.BatchMatMul,
    why: "tfjs's runs a scalar loop (~3 GFLOP/s) for any transpose or batch, leaves k = 0 products uninitialised, and reuses weights packed for another shape when a reshape shares their data",
    make: batchMatMulConfig,
  },
  {
    kernelName: tf._FusedMatMul,
    why: "as BatchMatMul, and tfjs's misreads biases with transposes or batches",
    make: fusedMatMulConfig,
  },
  {
    kernelName: tf.Identity,
    why: "tfjs's copies the data; tfjs clones every tensor it saves for the backward pass (12–27 copies a step)",
    make: () => identityConfig,
  },
  {
    kernelName: tf.Add,
    why: "tfjs's (XNNPACK) runs a bias broadcast ([64,24,24,8] + [8]) row by row, 10× slower than a same-shape Add",
    make: (previous) => makeWideBroadcast(tf.Add, previous, true),
  },
  {
    kernelName: tf.Multiply,
    why: 'as Add: a bias-style broadcast runs row by row',
    make: (previous) => makeWideBroadcast(tf.Multiply, previous, true),
  },
  {
    kernelName: tf.Sum,
    why: "tfjs's transposes x before summing leading axes (a bias gradient); 10× slower than an average pool",
    make: sumConfig,
  },
  {
    kernelName: adamUpdateConfig.kernelName,
    why: 'fused Adam step: one kernel per weight instead of 13',
    make: () => adamUpdateConfig,
  },
  {
    kernelName: sgdUpdateConfig.kernelName,
    why: 'fused SGD step: one kernel per weight instead of 2–5',
    make: () => sgdUpdateConfig,
  },
  {
    kernelName: softmaxCrossEntropyConfig.kernelName,
    why: 'fused softmax cross-entropy: one kernel instead of about 15',
    make: () => softmaxCrossEntropyConfig,
  },
  {
    kernelName: softmaxCrossEntropyGradConfig.kernelName,
    why: "the fused softmax cross-entropy's gradient: one kernel instead of about 15",
    make: () => softmaxCrossEntropyGradConfig,
  },
  {
    kernelName: categoricalAccuracyConfig.kernelName,
    why: 'fused categorical accuracy: one kernel instead of ArgMax, ArgMax, Equal, Cast',
    make: () => categoricalAccuracyConfig,
  },
  {
    kernelName: reluBackpropConfig.kernelName,
    why: 'fused relu backward pass with the bias gradient: one kernel instead of Step, Multiply and Sum',
    make: () => reluBackpropConfig,
  },
  plainStridedSliceKernel('wasm'),
];

/** Registers Nutshell's wasm kernels, replacing tfjs's where it has one (without its duplicate warning). Idempotent. */
export function registerWasmKernels(): void {
  replaceKernels('wasm', NUTSHELL_WASM_KERNELS);
  // tfjs-backend-wasm 4.22 reads past the tensor (GatherNd, Slice) or returns zeros (ScatterNd) out of range.
  guardKernels('wasm', readSyncValues);
}
