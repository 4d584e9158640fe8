// Gradients Nutshell corrects for every backend. Registered once, after tfjs-core's own (tfjs's gradient
// registry is global and a later registration replaces an earlier one silently outside DEBUG mode).
import * as tf from '@tensorflow/tfjs-core';
import { avgPoolGradConfig } from './avgPool.js';
import { registerBatchNormGradient } from './batchNorm.js';
import { prodGradConfig } from './prod.js';
import { squaredDifferenceGradConfig } from './squaredDifference.js';

/** Registers Nutshell's gradient fixes. Safe to call more than once. */
export function registerNutshellGradients(): void {
  registerBatchNormGradient();
  tf.registerGradient(squaredDifferenceGradConfig);
  tf.registerGradient(prodGradConfig);
  tf.registerGradient(avgPoolGradConfig);
}
