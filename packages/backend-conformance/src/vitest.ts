import type { BackendPlugin } from '@nutshell/backend';
import type { ConformanceOptions, ConformanceReport } from './report.js';
import { OP_CASES } from './cases/ops.js';
import { listConformanceChecks, runConformance } from './runConformance.js';

/**
 * Registers the conformance suite as vitest tests: one test per check, in a `describe` named after the
 * backend. Await it at the top level of a test file:
 *
 * ```ts
 * await defineConformanceSuite(wasmBackend);
 * ```
 *
 * The backend is probed while the tests are collected; when it is unusable here every test is registered
 * with `it.skip` and the probe's reason in its title, so the suite shows as skipped, never as passed.
 * vitest is an optional peer dependency, loaded only by this function.
 * @public
 */
export async function defineConformanceSuite(
  plugin: BackendPlugin,
  options: ConformanceOptions & { readonly timeoutMs?: number; readonly title?: string } = {},
): Promise<void> {
  // In a variable, so that bundling this package for a browser page does not pull in (or require) vitest.
  const vitestName = 'vitest';
  const { describe, it, beforeAll } = (await import(
    /* @vite-ignore */ vitestName
  )) as typeof import('vitest');
  const checks = listConformanceChecks(options);
  const cases = new Map(
    [...(options.builtIn === false ? [] : OP_CASES), ...(options.cases ?? [])].map((c) => [c.name, c]),
  );
  const probe = await plugin.probe();
  describe(options.title ?? `backend conformance: ${plugin.name}`, () => {
    if (!probe.usable) {
      for (const c of checks) it.skip(`${c.kind}: ${c.name} (skipped: ${probe.reason})`, () => {});
      return;
    }
    let report: ConformanceReport | undefined;
    let failure: unknown;
    beforeAll(async () => {
      try {
        report = await runConformance(plugin, options);
      } catch (e) {
        failure = e;
      }
    }, options.timeoutMs ?? 300_000);
    for (const c of checks) {
      const unsupported = c.kind === 'training' ? undefined : cases.get(c.name)?.unsupported?.(plugin.name);
      if (unsupported) {
        it.skip(`${c.kind}: ${c.name} (skipped on ${plugin.name}: ${unsupported})`, () => {});
        continue;
      }
      it(`${c.kind}: ${c.name}`, () => {
        if (failure) throw failure;
        if (!report) throw new Error('the conformance run did not finish');
        if (report.skipped) throw new Error(`the backend became unusable: ${report.skipped}`);
        const r = report.results.find((x) => x.name === c.name && x.kind === c.kind);
        if (!r) throw new Error(`no result for ${c.kind} check '${c.name}'`);
        if (!r.passed)
          throw new Error(`${r.message ?? 'failed'} (max error ${r.maxError}, tolerance ${r.tolerance})`);
      });
    }
  });
}
