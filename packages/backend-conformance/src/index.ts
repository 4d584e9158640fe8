/**
 * The conformance suite every Nutshell backend plugin runs: kernels forward against float64 and the CPU
 * backend, gradients against float64 central differences, and training runs against the CPU loss curve.
 * @packageDocumentation
 */
// @nutshell/backend-conformance: the suite every Nutshell backend plugin runs from its own tests.

// Running the suite
export { runConformance, listConformanceChecks } from './runConformance.js';
export { defineConformanceSuite } from './vitest.js';
export { formatConformanceReport } from './format.js';

// Data for the training runs
export { parseDigitsCsv, loadPackagedDigits } from './digits.js';

// Writing cases for what a package composes (conv algorithms, layers, losses, ...)
export type { OpCase, InputSpec } from './cases/types.js';
export type { TrainingCase, TrainingCurve } from './training.js';
export * as reference from './reference/ndarray.js';

// Types
export type {
  ConformanceKind,
  ConformanceResult,
  ConformanceReport,
  ConformanceOptions,
  ConformancePlugin,
  DigitsData,
} from './report.js';
