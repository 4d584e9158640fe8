// Gradients Nutshell corrects or adds for every backend. Registered once, after tfjs-core's own.

/** Registers Nutshell's gradient fixes. Safe to call more than once. */
export function registerNutshellGradients(): void {
  // Filled in by the gradient fixes (e.g. batchNorm without offset/scale).
}
