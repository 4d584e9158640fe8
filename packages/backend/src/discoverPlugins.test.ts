import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredBackends, discoverPlugins } from './discoverPlugins.js';

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value));
}

/** An application that depends on `deps`; each is installed as the layout says, with the manifest given. */
function fakeApp(deps: Record<string, object>, layout: 'hoisted' | 'pnpm'): string {
  const app = mkdtempSync(join(tmpdir(), 'nutshell-discover-'));
  writeJson(join(app, 'package.json'), {
    name: 'app',
    dependencies: Object.fromEntries(Object.keys(deps).map((d) => [d, '1.0.0'])),
  });
  for (const [name, manifest] of Object.entries(deps)) {
    const link = join(app, 'node_modules', ...name.split('/'));
    const real =
      layout === 'pnpm'
        ? join(
            app,
            'node_modules',
            '.pnpm',
            `${name.replace('/', '+')}@1.0.0`,
            'node_modules',
            ...name.split('/'),
          )
        : link;
    mkdirSync(real, { recursive: true });
    writeJson(join(real, 'package.json'), { name, ...manifest });
    if (real !== link) {
      mkdirSync(join(link, '..'), { recursive: true });
      symlinkSync(real, link, 'dir');
    }
  }
  mkdirSync(join(app, 'src', 'deep'), { recursive: true });
  return app;
}

describe('discoverPlugins: packages that declare backends in package.json', () => {
  for (const layout of ['hoisted', 'pnpm'] as const) {
    it(`finds first- and third-party plugins among the application's dependencies (${layout} layout)`, async () => {
      const app = fakeApp(
        {
          '@nutshell/backend-wasm': { nutshell: { backends: ['wasm'] } },
          'acme-tpu-backend': { nutshell: { backends: ['tpu', 'tpu-lite'] } },
          lodash: {},
          'odd-field': { nutshell: { backends: 'not-a-list' } },
        },
        layout,
      );
      const found = await discoverPlugins([join(app, 'src', 'deep')]);
      expect(found.map((p) => [p.packageName, p.backends]).sort()).toEqual([
        ['@nutshell/backend-wasm', ['wasm']],
        ['acme-tpu-backend', ['tpu', 'tpu-lite']],
      ]);
      expect(found.every((p) => p.appDir === app)).toBe(true);
    });
  }

  it('finds plugins installed but not listed in package.json (npm install --no-save, or hoisted from another dependency)', async () => {
    const app = fakeApp(
      { '@nutshell/all': {}, '@nutshell/backend-wasm': { nutshell: { backends: ['wasm'] } } },
      'hoisted',
    );
    writeJson(join(app, 'package.json'), { name: 'app', dependencies: { '@nutshell/all': '1.0.0' } });
    const found = await discoverPlugins([app]);
    expect(found.map((p) => [p.packageName, p.backends])).toEqual([['@nutshell/backend-wasm', ['wasm']]]);
    writeJson(join(app, 'package.json'), { name: 'app' });
    expect((await discoverPlugins([app])).map((p) => p.packageName)).toEqual(['@nutshell/backend-wasm']);
  });

  it("does not scan a package manager's store above an installed tool (pnpm's .pnpm/node_modules holds everything)", async () => {
    const app = fakeApp({ tool: {} }, 'hoisted');
    const store = join(app, 'node_modules', '.pnpm', 'node_modules', 'acme-backend');
    mkdirSync(store, { recursive: true });
    writeJson(join(store, 'package.json'), { name: 'acme-backend', nutshell: { backends: ['acme'] } });
    const toolDir = join(app, 'node_modules', '.pnpm', 'tool@1.0.0', 'node_modules', 'tool');
    mkdirSync(toolDir, { recursive: true });
    writeJson(join(toolDir, 'package.json'), { name: 'tool' });
    expect(await discoverPlugins([toolDir])).toEqual([]);
  });

  it('finds nothing for an application without plugin dependencies, or with no package.json above it', async () => {
    const app = fakeApp({ lodash: {} }, 'hoisted');
    expect(await discoverPlugins([app])).toEqual([]);
    expect(await discoverPlugins(['/'])).toEqual([]);
  });

  it('declaredBackends keeps only non-empty strings', () => {
    expect(declaredBackends({ nutshell: { backends: ['a', '', 3, 'b'] } })).toEqual(['a', 'b']);
    expect(declaredBackends({})).toEqual([]);
  });
});

describe("Nutshell's plugin packages declare their backends", () => {
  it('backend-wasm, backend-webgpu and backend-cuda carry the field', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = (pkg: string) =>
      JSON.parse(readFileSync(new URL(`../../${pkg}/package.json`, import.meta.url), 'utf8'));
    expect(declaredBackends(manifest('backend-wasm'))).toEqual(['wasm']);
    expect(declaredBackends(manifest('backend-webgpu'))).toEqual(['webgpu']);
    expect(declaredBackends(manifest('backend-cuda'))).toEqual(['cuda', 'tensorflow']);
  });
});
