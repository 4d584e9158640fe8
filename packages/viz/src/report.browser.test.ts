// Opens a run report in Debian's headless Chromium (driven by playwright-core) and checks it as a reader's browser
// would: no console errors, no network request, every image decoded with a size. Skipped, with the reason, where
// Chromium is not installed (tooling/scripts/apt-packages.sh installs it in CI).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildRunReport } from './index.js';
import { sampleRun } from './test-utils/sampleRun.js';

const CHROMIUM = process.env.NUTSHELL_CHROMIUM ?? '/usr/bin/chromium';
const skipReason = existsSync(CHROMIUM) ? '' : `${CHROMIUM} not found (apt-get install -y chromium)`;
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

describe('HTML report in headless Chromium', () => {
  (skipReason ? it.skip : it)(
    skipReason ? `opens cleanly — skipped: ${skipReason}` : 'opens with no console error, no network request, every image decoded',
    async () => {
      const { chromium } = await import('playwright-core');
      const run = sampleRun();
      const html = await buildRunReport(run.input);
      run.dispose();
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = join(ARTIFACTS, 'report.html');
      writeFileSync(file, html);
      const url = pathToFileURL(file).href;
      const profile = mkdtempSync(join(tmpdir(), 'viz-chromium-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 1280, height: 900 },
      });
      try {
        const errors: string[] = [];
        const requests: string[] = [];
        context.on('request', (r) => {
          if (r.url() !== url && !r.url().startsWith('data:')) requests.push(r.url());
        });
        // Anything beyond the page itself and data: URIs would be a network request: refuse and record it.
        await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
        const page = await context.newPage();
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(url, { waitUntil: 'load' });
        const images = await page.evaluate(async () => {
          const imgs = Array.from(document.images);
          const decoded = await Promise.all(imgs.map((i) => i.decode().then(() => true, () => false)));
          return imgs.map((i, k) => ({ alt: i.alt, decoded: decoded[k], w: i.naturalWidth, h: i.naturalHeight }));
        });
        expect(errors).toEqual([]);
        expect(requests).toEqual([]);
        expect(images).toHaveLength(8);
        for (const img of images) {
          expect(img.decoded, img.alt).toBe(true);
          expect(img.w, img.alt).toBeGreaterThan(0);
          expect(img.h, img.alt).toBeGreaterThan(0);
        }
        expect(await page.locator('h2').allTextContents()).toEqual(['Run', 'Training', 'Evaluation', 'Gradient flow', 'Network', 'Filters', 'Feature maps']);
        await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
