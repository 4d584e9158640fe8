// The same completeness check as index.test.ts, for types too: every name (value or type) every package exports is
// exported by @nutshell/all and means the same declaration, read from the built .d.ts files with the TypeScript
// compiler.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
/** In Nutshell's layering order: where two export the same name, the earlier keeps it. */
const PACKAGES = [
  '@nutshell/backend',
  '@nutshell/tensor',
  '@nutshell/activations',
  '@nutshell/layers',
  '@nutshell/conv',
  '@nutshell/recurrent',
  '@nutshell/onnx',
  '@nutshell/train',
  '@nutshell/datasets',
  '@nutshell/viz',
  '@nutshell/backend-conformance',
  '@nutshell/backend-wasm',
  '@nutshell/backend-webgpu',
  '@nutshell/backend-cuda',
  '@nutshell/tensorboard',
];
/** name → [owner of the plain name, [other package, alias]...] (values and types). */
const CLASHES: Record<string, [string, [string, string][]]> = {
  oneHot: ['@nutshell/tensor', [['@nutshell/datasets', 'datasetsOneHot']]],
  confusionMatrix: ['@nutshell/train', [['@nutshell/viz', 'vizConfusionMatrix']]],
  ModelLike: ['@nutshell/layers', [['@nutshell/viz', 'VizModelLike']]],
  Batch: ['@nutshell/train', [['@nutshell/datasets', 'DatasetsBatch']]],
};

function dtsOf(pkg: string): string {
  const manifest = require.resolve(`${pkg}/package.json`);
  return join(dirname(manifest), (require(manifest) as { types: string }).types);
}

describe('@nutshell/all types', () => {
  it('exports every name of every package, each the same declaration as its owner', () => {
    const files = [join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.d.ts'), ...PACKAGES.map(dtsOf)];
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
    });
    const checker = program.getTypeChecker();
    const exportsOf = (file: string) => {
      const sym = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
      const out = new Map<string, ts.Symbol>();
      for (const e of checker.getExportsOfModule(sym)) {
        out.set(e.name, e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e);
      }
      return out;
    };
    const all = exportsOf(files[0]);
    const byName = new Map<string, [string, ts.Symbol][]>();
    for (const pkg of PACKAGES) {
      for (const [name, sym] of exportsOf(dtsOf(pkg))) byName.set(name, [...(byName.get(name) ?? []), [pkg, sym]]);
    }
    const problems: string[] = [];
    const clashes: string[] = [];
    for (const [name, owners] of byName) {
      if (new Set(owners.map(([, s]) => s)).size > 1) clashes.push(name);
      const ownerPkg = CLASHES[name]?.[0] ?? owners[0][0];
      const expected = owners.find(([p]) => p === ownerPkg)?.[1];
      if (all.get(name) !== expected) problems.push(`${name} (from ${ownerPkg}) is missing or different in @nutshell/all`);
      for (const [pkg, alias] of CLASHES[name]?.[1] ?? []) {
        if (all.get(alias) !== owners.find(([p]) => p === pkg)?.[1]) problems.push(`${alias} is not ${pkg}'s ${name}`);
      }
    }
    expect(problems).toEqual([]);
    expect(clashes.sort()).toEqual(Object.keys(CLASHES).sort());
    expect(byName.size).toBeGreaterThan(150);
  }, 60_000);
});
