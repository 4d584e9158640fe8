import type { ConformanceReport } from './report.js';

/**
 * A plain-text table of a report, one line per check, failures marked; for consoles and logs.
 * @public
 */
export function formatConformanceReport(report: ConformanceReport): string {
  if (report.skipped) return `conformance ${report.backend}: SKIPPED (not passed): ${report.skipped}`;
  const failed = report.results.filter((r) => !r.passed && !r.skipped).length;
  const skipped = report.results.filter((r) => r.skipped).length;
  const lines = report.results.map((r) => {
    const mark = r.passed ? 'ok  ' : r.skipped ? 'skip' : 'FAIL';
    const err = Number.isFinite(r.maxError) ? r.maxError.toExponential(1) : String(r.maxError);
    return `${mark} ${r.kind.padEnd(8)} ${r.name.padEnd(44)} err ${err.padStart(7)} ≤ ${r.tolerance.toExponential(0)}  ${r.message ?? ''}`;
  });
  const head =
    `conformance ${report.backend}: ${report.results.length - failed - skipped}/${report.results.length} passed` +
    `${skipped ? `, ${skipped} skipped` : ''}, ` +
    `${report.kernels.length} kernels forward, ${report.seconds.toFixed(1)} s`;
  return [head, ...lines].join('\n');
}
