// Each publishable package's package.json and README, checked against what a user installing it alone needs.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishablePackages } from './workspace.js';

const TFJS = '@tensorflow/tfjs-core';
/** Files a package ships beyond dist, README and CHANGELOG, and why. */
const EXTRA_FILES: Record<string, string[]> = {
  '@nutshell/datasets': ['data'], // the small bundled data sets (digits, breast cancer) that loaders read offline
  '@nutshell/backend-conformance': ['data'], // the digits subset the training check runs on
};

/** The bare module specifiers a built file imports, statically or with a literal dynamic import. */
function importsOf(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const specs = [
    ...code.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm), // import x from 'y' (across lines)
    ...code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm), // import 'y'
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g), // import('y')
  ].map((m) => m[1]);
  return specs.filter((sp) => !sp.startsWith('.') && !sp.startsWith('#') && !sp.startsWith('node:') && !builtinModules.includes(sp));
}

function builtFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js') && !/\.test\.js$/.test(f) && !f.includes('test-utils'))
    .map((f) => join(dir, f));
}

describe.each(publishablePackages().map((p) => [p.name, p] as const))('%s', (name, p) => {
  const m = p.manifest;

  it('declares licence, repository directory, keywords, engines and side effects', () => {
    expect(m.license).toBe('MIT');
    expect(m.repository).toMatchObject({ type: 'git', directory: p.dir.slice(p.dir.indexOf('packages/')) });
    expect(m.keywords?.length).toBeGreaterThan(2);
    expect(new Set(m.keywords).size, 'keywords are unique').toBe(m.keywords.length);
    expect(m.engines?.node).toBe('>=20');
    expect(typeof m.sideEffects === 'boolean' || Array.isArray(m.sideEffects)).toBe(true);
    expect(m.type).toBe('module');
  });

  it('exports ESM with types first, and ships only dist, README and CHANGELOG', () => {
    for (const [sub, target] of Object.entries<any>(m.exports)) {
      if (sub === './package.json') continue;
      expect(Object.keys(target)[0], `${sub}: types must come first`).toBe('types');
    }
    const allowed = ['CHANGELOG.md', 'README.md', 'dist', ...(EXTRA_FILES[name] ?? [])];
    expect(m.files.filter((f: string) => !f.startsWith('!')).sort()).toEqual(allowed.sort());
    expect(m.files).toEqual(expect.arrayContaining(['!dist/**/*.test.*', '!dist/**/*.map']));
  });

  it('takes @tensorflow/tfjs-core 4.22.0 as a peer only, so an install has exactly one copy', () => {
    expect(m.peerDependencies?.[TFJS]).toBe('4.22.0');
    expect(m.dependencies?.[TFJS]).toBeUndefined();
    for (const [dep, range] of Object.entries<string>(m.dependencies ?? {})) {
      if (dep.startsWith('@nutshell/')) expect(range, dep).toBe('workspace:^');
      else expect(range, `${dep} is pinned`).toMatch(/^\d+\.\d+\.\d+$/);
    }
    for (const [peer, meta] of Object.entries<any>(m.peerDependenciesMeta ?? {})) {
      expect(m.peerDependencies[peer], `${peer} in peerDependenciesMeta is a peer`).toBeDefined();
      expect(meta.optional).toBe(true);
    }
  });

  it('declares every package its built code imports', () => {
    const declared = new Set([name, ...Object.keys({ ...m.dependencies, ...m.peerDependencies, ...m.optionalDependencies })]);
    const undeclared = new Set<string>();
    for (const file of builtFiles(join(p.dir, 'dist'))) {
      for (const spec of importsOf(file)) {
        const pkg = spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
        if (!declared.has(pkg)) undeclared.add(`${pkg} (in ${file.slice(p.dir.length + 1)})`);
      }
    }
    expect([...undeclared]).toEqual([]);
  });

  it('has a README that starts with the one-line install, and examples that import only what it installs', () => {
    const file = join(p.dir, 'README.md');
    expect(existsSync(file), 'README.md exists').toBe(true);
    const text = readFileSync(file, 'utf8');
    const [title, ...rest] = text.split('\n');
    expect(title).toBe(`# ${name}`);
    const first = /^```sh\n(npm install [^\n]+)\n```/.exec(rest.join('\n').trimStart());
    expect(first?.[1], 'the README opens with an npm install block').toBeDefined();
    const installed = new Set(first![1].split(/\s+/).slice(2).map((s) => s.replace(/(.)@[^@/]+$/, '$1')));
    expect([...installed]).toEqual(expect.arrayContaining([name, TFJS]));
    const examples = [...text.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(examples.some((e) => e.includes(`from '${name}`) || e.includes(`import '${name}`)), 'an example imports the package').toBe(true);
    const imported = new Set(
      examples.flatMap((e) => [...e.matchAll(/(?:from|import)\s+'([^'.][^']*)'/g)].map((m) => m[1])).filter((s) => !s.startsWith('node:')),
    );
    const packageOf = (s: string) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/');
    const notInstalled = [...imported].map(packageOf).filter((pkg) => !installed.has(pkg));
    expect([...new Set(notInstalled)], 'packages the examples import but the install line does not install').toEqual([]);
  });
});
