// WebGPU in headless Chromium on SwiftShader: the plugin bundled for the browser, served from 127.0.0.1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { loadPackagedDigits } from '@nutshell/backend-conformance';
import type { ConformanceReport } from '@nutshell/backend-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumArgs, haveChromium, serveStatic } from './test-utils/browser.js';

const skip = haveChromium() ? '' : ` (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`;

describe.skipIf(!haveChromium())(`webgpu in headless Chromium${skip}`, () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nutshell-webgpu-page-'));
    await build({
      entryPoints: [fileURLToPath(new URL('./test-utils/browser-entry.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(dir, 'entry.js'),
      // The package's #runtime import resolves to the browser runtime by the export conditions, as in any bundler.
      alias: { '#runtime': fileURLToPath(new URL('./browser/runtime.ts', import.meta.url)) },
      // Loaded lazily by the suite's Node-only helpers (vitest registration, reading the packaged digits).
      external: ['vitest', 'node:*'],
      logLevel: 'error',
    });
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="entry.js"></script>',
    );
    server = await serveStatic(dir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs() });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('probes, activates on the browser adapter and computes; no console errors', async (ctx) => {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as { __nutshell?: unknown }).__nutshell !== undefined);
    const outcome = (await page.evaluate(
      () => (globalThis as { __nutshell?: Promise<unknown> }).__nutshell,
    )) as {
      probe?: { usable: boolean; reason?: string; detail?: string; priority?: number };
      adapter?: { vendor: string; architecture: string; isSoftware: boolean };
      backend?: string;
      matmul?: number[];
      error?: string;
    };
    expect(outcome.error).toBeUndefined();
    // Reported skipped with the reason (what the browser lacks), never passed.
    if (!outcome.probe?.usable) ctx.skip(`webgpu unusable in Chromium: ${outcome.probe?.reason}`);
    expect(outcome.probe!.usable).toBe(true);
    expect(outcome.backend).toBe('webgpu');
    expect(outcome.matmul).toEqual([7, 10, 15, 22]);
    expect(outcome.adapter?.isSoftware).toBe(true); // SwiftShader on this machine
    expect(outcome.probe!.priority).toBe(0.5);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('a page served as a non-secure origin gets the secure-context message', async () => {
    // 0.0.0.0 is not a potentially-trustworthy origin; the same server answers on it.
    const page = await browser.newPage();
    await page.goto(server.url.replace('127.0.0.1', '0.0.0.0'));
    await page.waitForFunction(() => (globalThis as { __nutshell?: unknown }).__nutshell !== undefined);
    const outcome = (await page.evaluate(
      () => (globalThis as { __nutshell?: Promise<unknown> }).__nutshell,
    )) as {
      probe: { usable: boolean; reason: string; fix: string };
    };
    expect(outcome.probe.usable).toBe(false);
    expect(outcome.probe.reason).toContain('not a secure context');
    expect(outcome.probe.fix).toContain('http://127.0.0.1');
    await page.close();
  });

  it('passes the conformance suite on the browser adapter (SwiftShader here), every op on the GPU', async (ctx) => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as { __nutshell?: unknown }).__nutshell !== undefined);
    const first = (await page.evaluate(
      () => (globalThis as { __nutshell?: Promise<unknown> }).__nutshell,
    )) as {
      probe?: { usable: boolean; reason?: string };
    };
    if (!first.probe?.usable) ctx.skip(`webgpu unusable in Chromium: ${first.probe?.reason}`);
    const digits = await loadPackagedDigits();
    const report = (await page.evaluate(
      (d) =>
        (globalThis as unknown as { __conformance(d: unknown): Promise<ConformanceReport> }).__conformance(d),
      { x: Array.from(digits.x), y: Array.from(digits.y), n: digits.n },
    )) as ConformanceReport;
    // A case skipped with its reason (`unsupported` on webgpu, e.g. int32 products past 2^24) has not failed; the
    // report counts it as the Node suite does.
    const failed = report.results
      .filter((r) => !r.passed && !r.skipped)
      .map((r) => `${r.kind} ${r.name}: ${r.message ?? r.maxError}`);
    const skipped = report.results.filter((r) => r.skipped).map((r) => `${r.name}: ${r.skipped}`);
    console.info(
      `conformance in Chromium: ${report.results.length - failed.length - skipped.length}/${report.results.length} passed, ${skipped.length} skipped with a reason (${skipped.join('; ')}), in ${report.seconds.toFixed(1)} s`,
    );
    expect(report.skipped).toBeUndefined();
    expect(failed).toEqual([]);
    expect(report.results.length).toBeGreaterThan(50);
    await page.close();
  }, 600_000);
});
