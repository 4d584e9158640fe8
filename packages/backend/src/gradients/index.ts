// Gradients Nutshell corrects for every backend. Registered once, after tfjs-core's own (tfjs's gradient
// registry is global and a later registration replaces an earlier one silently outside DEBUG mode).
import * as tf from '@tensorflow/tfjs-core';
import { avgPoolGradConfig } from './avgPool.js';
import { registerBatchNormGradient } from './batchNorm.js';
import { dilatedConv2DGradConfig, dilatedDepthwiseGradConfig } from './dilatedConv.js';
import { gatherGradConfig } from './gather.js';
import { prodGradConfig } from './prod.js';
import { squaredDifferenceGradConfig } from './squaredDifference.js';
import { stridedSliceGradConfig } from './stridedSlice.js';

/** Registers Nutshell's gradient fixes. Safe to call more than once. */
export function registerNutshellGradients(): void {
  registerBatchNormGradient();
  tf.registerGradient(squaredDifferenceGradConfig);
  tf.registerGradient(prodGradConfig);
  tf.registerGradient(avgPoolGradConfig);
  tf.registerGradient(stridedSliceGradConfig);
  wrapOnce(tf.Conv2D, dilatedConv2DGradConfig);
  wrapOnce(tf.DepthwiseConv2dNative, dilatedDepthwiseGradConfig);
  wrapOnce(tf.GatherV2, gatherGradConfig);
}

const wrapped = new Set<string>();

/** Registers `wrap(tfjs's gradient)` for a kernel, once (wrapping the wrapper would recurse). */
function wrapOnce(kernelName: string, wrap: (original: tf.GradConfig) => tf.GradConfig): void {
  const original = tf.getGradient(kernelName);
  if (!original || wrapped.has(kernelName)) return;
  tf.registerGradient(wrap(original));
  wrapped.add(kernelName);
}
