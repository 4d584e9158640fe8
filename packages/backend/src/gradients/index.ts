// Gradients Nutshell corrects or adds for every backend. Registered once, after tfjs-core's own.
import { registerBatchNormGradient } from './batchNorm.js';

/** Registers Nutshell's gradient fixes. Safe to call more than once. */
export function registerNutshellGradients(): void {
  registerBatchNormGradient();
}
