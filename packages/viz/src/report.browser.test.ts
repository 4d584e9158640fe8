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

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('HTML report in headless Chromium', () => {
  (skipReason ? it.skip : it)(
    skipReason
      ? `opens cleanly — skipped: ${skipReason}`
      : 'opens with no console error, no network request, every image decoded',
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
        args: ARGS,
        viewport: { width: 1280, height: 900 },
      });
      try {
        const errors: string[] = [];
        const requests: string[] = [];
        context.on('request', (r) => {
          if (r.url() !== url && !r.url().startsWith('data:')) requests.push(r.url());
        });
        // Anything beyond the page itself and data: URIs would be a network request: refuse and record it.
        await context.route('**/*', (route) =>
          route.request().url() === url ? route.continue() : route.abort(),
        );
        const page = await context.newPage();
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(url, { waitUntil: 'load' });
        const images = await page.evaluate(async () => {
          const imgs = Array.from(document.images);
          const decoded = await Promise.all(
            imgs.map((i) =>
              i.decode().then(
                () => true,
                () => false,
              ),
            ),
          );
          return imgs.map((i, k) => ({
            alt: i.alt,
            decoded: decoded[k],
            w: i.naturalWidth,
            h: i.naturalHeight,
          }));
        });
        expect(errors).toEqual([]);
        expect(requests).toEqual([]);
        expect(images).toHaveLength(8);
        for (const img of images) {
          expect(img.decoded, img.alt).toBe(true);
          expect(img.w, img.alt).toBeGreaterThan(0);
          expect(img.h, img.alt).toBeGreaterThan(0);
        }
        expect(await page.locator('h2').allTextContents()).toEqual([
          'Run',
          'Training',
          'Evaluation',
          'Gradient flow',
          'Network',
          'Filters',
          'Feature maps',
        ]);
        await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

describe('drawing on a canvas in Chromium', () => {
  (skipReason ? it.skip : it)(
    skipReason
      ? `drawFigure/drawRaster — skipped: ${skipReason}`
      : 'the browser bundle draws a filter grid and a raster onto a canvas, pixel-exact',
    async () => {
      // Bundle the built package for browsers, as an app would: Node-only code (node:*, resvg) must stay unreached.
      const { build } = await import('esbuild');
      const bundle = await build({
        stdin: {
          contents:
            "import * as viz from './dist/index.js'; import { tf } from '@nutshell/tensor'; window.viz = viz; window.tf = tf;",
          resolveDir: resolve(ARTIFACTS, '..'),
          loader: 'js',
        },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        external: ['node:*', '@resvg/resvg-js'],
        logLevel: 'silent',
      });
      const { chromium } = await import('playwright-core');
      const profile = mkdtempSync(join(tmpdir(), 'viz-chromium-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
      });
      try {
        const errors: string[] = [];
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        await page.setContent('<canvas id="c" width="400" height="200"></canvas>');
        await page.addScriptTag({ content: bundle.outputFiles[0]!.text, type: 'module' });
        await page.waitForFunction(() => (window as any).viz !== undefined);
        const result = await page.evaluate(async () => {
          const { viz, tf } = window as any;
          const ctx = (document.getElementById('c') as HTMLCanvasElement).getContext('2d')!;
          // drawRaster: exact pixels
          const raster = viz.valuesToRaster([0, 1, 2, 3], 2, 2, { colormap: 'gray' });
          viz.drawRaster(ctx, raster, 300, 10);
          const got = Array.from(ctx.getImageData(300, 10, 2, 2).data);
          // drawFigure: a vertical-edge kernel drawn through the SVG data URI
          const k = tf.tensor4d([-1, 0, 1, -1, 0, 1, -1, 0, 1], [3, 3, 1, 1]);
          const fig = await viz.filterGrid(k, { tileSize: 30 });
          k.dispose();
          await viz.drawFigure(ctx, fig);
          const tile = fig.images[0];
          const px = (x: number) =>
            Array.from(
              ctx.getImageData(Math.round(tile.x + x), Math.round(tile.y + tile.height / 2), 1, 1).data,
            );
          return {
            raster: Array.from(raster.data),
            got,
            left: px(5),
            mid: px(15),
            right: px(25),
            tensors: tf.memory().numTensors,
          };
        });
        expect(errors).toEqual([]);
        expect(result.got).toEqual(result.raster);
        const [l, m, r] = [result.left, result.mid, result.right];
        expect(l[2]! - l[0]!).toBeGreaterThan(60); // blue
        expect(Math.min(m[0]!, m[1]!, m[2]!)).toBeGreaterThan(230); // white
        expect(r[0]! - r[2]!).toBeGreaterThan(60); // red
        expect(result.tensors).toBe(0);
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
