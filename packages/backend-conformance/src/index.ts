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

// Types
export type {
  ConformanceKind,
  ConformanceResult,
  ConformanceReport,
  ConformanceOptions,
  ConformancePlugin,
  DigitsData,
} from './report.js';
