// The stack's cases on WebGPU in headless Chromium (SwiftShader on a machine without a GPU), bundled with
// esbuild and served from 127.0.0.1. SwiftShader is several times slower than lavapipe, so this run is opt-in:
// NUTSHELL_STACK_BROWSER=1 (the kernel-level suite runs in Chromium in packages/backend-webgpu on every CI run).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { loadPackagedDigits } from '@nutshell/backend-conformance';
import type { ConformanceReport } from '@nutshell/backend-conformance';
import { describe, expect, it } from 'vitest';
// The Chromium flags and the static server the webgpu package's own browser test uses (test-only code).
import {
  CHROMIUM,
  chromiumArgs,
  haveChromium,
  serveStatic,
} from '../../../packages/backend-webgpu/src/test-utils/browser.js';

/** An empty module standing in for a Node built-in that a bundled dependency requires but the page never uses. */
function writeStub(dir: string, name: string): string {
  const file = join(dir, `${name}-stub.cjs`);
  writeFileSync(file, 'module.exports = {};');
  return file;
}

const why = !haveChromium()
  ? ` (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`
  : process.env.NUTSHELL_STACK_BROWSER !== '1'
    ? ' (skipped: opt-in, NUTSHELL_STACK_BROWSER=1; SwiftShader takes minutes for the whole stack)'
    : '';

describe.skipIf(why !== '')(`stack conformance: webgpu in headless Chromium${why}`, () => {
  it('every stack case passes, or is skipped with its reason, on the browser adapter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nutshell-stack-page-'));
    const server = { close: async () => {} } as Awaited<ReturnType<typeof serveStatic>>;
    let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
    try {
      await build({
        entryPoints: [fileURLToPath(new URL('./browser-entry.ts', import.meta.url))],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        outfile: join(dir, 'entry.js'),
        conditions: ['browser'],
        external: ['vitest', 'node:*'],
        // @nutshell/train's console progress bar (cli-progress) requires Node's readline; the cases never draw it.
        alias: { readline: writeStub(dir, 'readline') },
        logLevel: 'error',
      });
      writeFileSync(
        join(dir, 'index.html'),
        '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="entry.js"></script>',
      );
      Object.assign(server, await serveStatic(dir));
      browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs() });
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => (globalThis as { __ready?: boolean }).__ready === true);
      const digits = await loadPackagedDigits();
      const report = (await page.evaluate(
        (d: { x: number[]; y: number[]; n: number }) =>
          (globalThis as unknown as { __stack(d: unknown): Promise<ConformanceReport> }).__stack(d),
        { x: Array.from(digits.x), y: Array.from(digits.y), n: digits.n },
      )) as ConformanceReport;
      expect(report.skipped).toBeUndefined();
      const failed = report.results
        .filter((r) => !r.passed && !r.skipped)
        .map((r) => `${r.kind} ${r.name}: ${r.message}`);
      const skipped = report.results.filter((r) => r.skipped).length;
      console.info(
        `stack conformance in Chromium: ${report.results.length - failed.length - skipped}/${report.results.length} passed, ${skipped} skipped, ${report.seconds.toFixed(0)} s`,
      );
      expect(failed).toEqual([]);
      expect(report.results.length).toBeGreaterThan(150);
    } finally {
      await browser?.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
