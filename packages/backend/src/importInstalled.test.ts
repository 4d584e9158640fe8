import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findInstalled, importInstalled } from './importInstalled.js';

/** An application folder with one installed package, laid out as npm or pnpm would. */
function fakeApp(pkg: string, exportsField: unknown, source: string): string {
  const app = mkdtempSync(join(tmpdir(), 'nutshell-app-'));
  const dir = join(app, 'node_modules', ...pkg.split('/'));
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: pkg, type: 'module', exports: exportsField }));
  writeFileSync(join(dir, 'dist', 'index.js'), source);
  mkdirSync(join(app, 'src', 'deep'), { recursive: true });
  return app;
}

describe('importInstalled: plugin packages the application installed', () => {
  it("finds a package from the application's folders when @nutshell/backend cannot see it", async () => {
    const app = fakeApp('@fixture/plugin-a', { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      'globalThis.__nutshellFixtureA = (globalThis.__nutshellFixtureA ?? 0) + 1;');
    // Found walking up from a nested folder of the app, as from a script in src/deep.
    expect(await findInstalled('@fixture/plugin-a', [join(app, 'src', 'deep')])).toMatch(/plugin-a[/\\]dist[/\\]index\.js$/);
    expect(await importInstalled('@fixture/plugin-a', [join(app, 'src', 'deep')])).toBe(true);
    expect((globalThis as any).__nutshellFixtureA).toBe(1);
  });

  it('says false for a package installed nowhere', async () => {
    const app = fakeApp('@fixture/other', './dist/index.js', '');
    expect(await importInstalled('@fixture/not-installed', [app])).toBe(false);
  });

  it('rethrows an error raised inside an installed package instead of calling it absent', async () => {
    const app = fakeApp('@fixture/plugin-broken', './dist/index.js', "throw new Error('native binding missing');");
    await expect(importInstalled('@fixture/plugin-broken', [app])).rejects.toThrow('native binding missing');
  });
});
