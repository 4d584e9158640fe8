// Imports an optional plugin package by name, if the application has it installed.
//
// A bare `import(pkg)` resolves from this file, i.e. from @nutshell/backend's own folder. Under strict layouts
// (pnpm, or any install where @nutshell/backend is not hoisted next to the plugin) that folder cannot see the
// application's other dependencies, so in Node the package is also looked up from the application: the
// current directory and the main script's directory, walking up through their node_modules folders.

/** Was the failure "this package is not installed" (as opposed to an error inside it)? */
function isNotFound(e: unknown, pkg: string): boolean {
  const err = e as { code?: string; message?: string };
  const code = err?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(err.message).includes(pkg);
}

/** Node's fs/path/url, or undefined in a browser. Hidden from bundlers, which must not try to include them. */
async function nodeModules(): Promise<
  { fs: typeof import('node:fs'); path: typeof import('node:path'); url: typeof import('node:url') } | undefined
> {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  const load = (name: string) => import(/* @vite-ignore */ name);
  const [fs, path, url] = await Promise.all([load('node:fs'), load('node:path'), load('node:url')]);
  return { fs, path, url };
}

/** The file a package's ESM entry point is, found from one of `roots` and upwards, or undefined. */
export async function findInstalled(pkg: string, roots: readonly string[]): Promise<string | undefined> {
  const node = await nodeModules();
  if (!node) return undefined;
  const { fs, path } = node;
  for (const root of roots) {
    let dir = path.resolve(root);
    for (;;) {
      const pkgDir = path.join(dir, 'node_modules', ...pkg.split('/'));
      const manifest = path.join(pkgDir, 'package.json');
      if (fs.existsSync(manifest)) {
        const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
          exports?: string | { '.'?: string | { import?: string; default?: string } };
          module?: string;
          main?: string;
        };
        const dot = typeof json.exports === 'string' ? json.exports : json.exports?.['.'];
        const entry = (typeof dot === 'string' ? dot : (dot?.import ?? dot?.default)) ?? json.module ?? json.main ?? 'index.js';
        return fs.realpathSync(path.join(pkgDir, entry));
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/**
 * Imports `pkg` if it is installed (from here, or from the application in Node). Returns false when it is not
 * installed; an error raised while loading an installed package is rethrown.
 */
export async function importInstalled(pkg: string, roots?: readonly string[]): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ pkg);
    return true;
  } catch (e) {
    if (!isNotFound(e, pkg)) throw e;
  }
  const node = await nodeModules();
  if (!node) return false;
  const appRoots = roots ?? [process.cwd(), ...(process.argv[1] ? [node.path.dirname(node.path.resolve(process.argv[1]))] : [])];
  const file = await findInstalled(pkg, appRoots);
  if (!file) return false;
  await import(/* @vite-ignore */ node.url.pathToFileURL(file).href);
  return true;
}
