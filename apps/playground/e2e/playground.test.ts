// End to end: build the app, serve the built files on 127.0.0.1, open them in headless Chromium (WebGPU on
// SwiftShader), train, draw a digit, and keep a screenshot (artifacts/playground.png).
import { mkdirSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumArgs, serveStatic } from './browser.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const STEPS = 40;
const haveChromium = existsSync(CHROMIUM);

interface State {
  backend?: { name: string; device: string; notice?: string };
  steps: number;
  losses: number[];
  prediction?: { digit: number; probability: number };
  error?: string;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.skipIf(!haveChromium)(`the built playground in headless Chromium${haveChromium ? '' : ` (skipped: no ${CHROMIUM})`}`, () => {
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    await build({ root, logLevel: 'error' }); // the production build, as `pnpm --filter playground build` makes it
    server = await serveStatic(`${root}dist`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs() });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const state = () => page.evaluate(() => (window as unknown as { __playground: State }).__playground);

  it('chooses WebGPU, trains, the loss falls, a drawn digit gets a prediction, no console errors', async () => {
    await page.goto(`${server.url}?dataset=digits`);
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
    const ready = await state();
    expect(ready.error).toBeUndefined();
    expect(ready.backend?.name).toBe('webgpu');
    expect(await page.textContent('#backend')).toContain('webgpu');
    // SwiftShader is a software adapter, and the page says so.
    expect(await page.textContent('#notice')).toContain('software adapter');

    await page.click('#train');
    await page.waitForFunction((n) => (window as unknown as { __playground: State }).__playground.steps >= n, STEPS, {
      timeout: 180_000,
    });
    await page.click('#train'); // pause
    await page.waitForFunction(() => document.querySelector('#train')?.textContent === 'Train');
    const trained = await state();
    expect(trained.error).toBeUndefined();
    const losses = trained.losses;
    expect(losses.length).toBeGreaterThanOrEqual(STEPS);
    expect(losses.every(Number.isFinite)).toBe(true);
    // Ten classes start near ln 10 ≈ 2.3; forty Adam steps on the 8×8 digits must at least halve it.
    expect(mean(losses.slice(0, 5))).toBeGreaterThan(1.8);
    expect(mean(losses.slice(-10))).toBeLessThan(0.5 * mean(losses.slice(0, 5)));
    expect(await page.locator('#loss svg').count()).toBe(1);
    expect(await page.locator('#filters svg').count()).toBe(1);
    expect(await page.locator('#maps svg').count()).toBe(1);

    // Draw a "1": a vertical stroke down the middle of the pad.
    const box = (await page.locator('#pad').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.07 * i));
    await page.mouse.up();
    await page.waitForFunction(() => /^Your drawing looks like a \d/.test(document.querySelector('#prediction-label')?.textContent ?? ''));
    const predicted = await state();
    expect(predicted.prediction!.digit).toBeGreaterThanOrEqual(0);
    expect(predicted.prediction!.probability).toBeGreaterThan(0.1);
    expect(await page.locator('#prediction-chart svg').count()).toBe(1);

    mkdirSync(`${root}artifacts`, { recursive: true });
    await page.screenshot({ path: `${root}artifacts/playground.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('?model=lstm: an LSTM reads the rows, trains, and the page draws its gates over the rows of the digit on the pad', async () => {
    await page.goto(`${server.url}?dataset=digits&model=lstm`);
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
    expect((await state()).error).toBeUndefined();
    expect(await page.textContent('#model')).toContain('LSTM: 8 rows as 8 steps of 8 pixels');
    await page.click('#train');
    await page.waitForFunction((n) => (window as unknown as { __playground: State }).__playground.steps >= n, STEPS, {
      timeout: 180_000,
    });
    await page.click('#train');
    await page.waitForFunction(() => document.querySelector('#train')?.textContent === 'Train');
    const trained = await state();
    expect(trained.error).toBeUndefined();
    const losses = trained.losses;
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(mean(losses.slice(-10))).toBeLessThan(0.8 * mean(losses.slice(0, 5)));
    const gates = (await page.innerHTML('#maps')) ?? '';
    for (const row of ['input gate i', 'forget gate f', 'output gate o', 'memory c']) expect(gates).toContain(row);
    expect(gates).toContain('reading the pad’s 8 rows');
    expect(await page.locator('#filters svg').count()).toBe(0);
    await page.screenshot({ path: `${root}artifacts/playground-lstm.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
