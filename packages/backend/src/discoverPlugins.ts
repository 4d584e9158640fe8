// Finds backend plugin packages by the convention they declare, not by a table in this package.
//
// A plugin package says which backends it provides in its package.json:
//
//     "nutshell": { "backends": ["wasm"] }
//
// In Node, the application's installed dependencies are scanned for that field: the nearest package.json above
// the current directory and above the main script, each of whose dependencies (dependencies, optional,
// dev and peer) is looked up in node_modules walking upwards, as Node resolves, together with every package
// installed in those node_modules folders (installed without saving, or hoisted from another dependency). That works under pnpm's strict
// layout (the application sees its own dependencies) and under hoisted npm/yarn layouts, and finds third-party
// plugins the same way as Nutshell's own. Where there is no filesystem (browsers, bundles) nothing is scanned:
// a plugin registers itself when the application imports its package.

/** An installed package that declares backends. */
export interface DiscoveredPlugin {
  /** The npm package name. */
  readonly packageName: string;
  /** The backend names its package.json declares under `nutshell.backends`. */
  readonly backends: readonly string[];
  /** The folder it is installed in (symbolic links resolved). */
  readonly dir: string;
  /** The application folder whose package.json lists it; it resolves from there. */
  readonly appDir: string;
}

interface Manifest {
  readonly name?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly nutshell?: { readonly backends?: unknown };
}

type NodeFs = typeof import('node:fs');
type NodePath = typeof import('node:path');

/** Node's fs and path, or undefined without a filesystem. Hidden from bundlers, which must not include them. */
async function nodeFs(): Promise<{ fs: NodeFs; path: NodePath } | undefined> {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  const load = (name: string) => import(/* @vite-ignore */ name);
  const [fs, path] = await Promise.all([load('node:fs'), load('node:path')]);
  return { fs, path };
}

function readManifest(fs: NodeFs, file: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** The backend names a package.json declares, or an empty list (a malformed field declares nothing). */
export function declaredBackends(manifest: {
  readonly nutshell?: { readonly backends?: unknown };
}): string[] {
  const list = manifest.nutshell?.backends;
  return Array.isArray(list) ? list.filter((b): b is string => typeof b === 'string' && b.length > 0) : [];
}

/** The application folders to scan from by default: the current directory and the main script's. */
export async function applicationRoots(): Promise<string[]> {
  const node = await nodeFs();
  if (!node) return [];
  const main = process.argv[1];
  return [process.cwd(), ...(main ? [node.path.dirname(node.path.resolve(main))] : [])];
}

/**
 * The installed packages that declare Nutshell backends, found from the application's package.json files
 * above `roots`. Returns an empty list where there is no filesystem.
 */
export async function discoverPlugins(roots?: readonly string[]): Promise<DiscoveredPlugin[]> {
  const node = await nodeFs();
  if (!node) return [];
  const { fs, path } = node;
  const found = new Map<string, DiscoveredPlugin>();
  for (const root of roots ?? (await applicationRoots())) {
    const appDir = nearestManifestDir(fs, path, path.resolve(root));
    if (!appDir) continue;
    const app = readManifest(fs, path.join(appDir, 'package.json'));
    if (!app) continue;
    const names = new Set([
      ...Object.keys(app.dependencies ?? {}),
      ...Object.keys(app.optionalDependencies ?? {}),
      ...Object.keys(app.devDependencies ?? {}),
      ...Object.keys(app.peerDependencies ?? {}),
      // Also what is installed but not listed: `npm install --no-save`, and a plugin that another dependency
      // brought in and npm hoisted (@nutshell/all's plugins).
      ...installedNames(fs, path, appDir),
    ]);
    for (const name of names) {
      if (found.has(name)) continue;
      const dir = installedDir(fs, path, name, appDir);
      if (!dir) continue;
      const manifest = readManifest(fs, path.join(dir, 'package.json'));
      const backends = manifest ? declaredBackends(manifest) : [];
      if (backends.length)
        found.set(name, { packageName: name, backends, dir: fs.realpathSync(dir), appDir });
    }
  }
  return [...found.values()];
}

/** The packages (`name`, `@scope/name`) in every node_modules folder from `from` up to the root. */
function installedNames(fs: NodeFs, path: NodePath, from: string): string[] {
  const names: string[] = [];
  const list = (dir: string): string[] => {
    try {
      return fs.readdirSync(dir).filter((e) => !e.startsWith('.'));
    } catch {
      return [];
    }
  };
  for (let dir = from; ; dir = path.dirname(dir)) {
    const nm = path.join(dir, 'node_modules');
    // Only the application's own folders: from inside an installed package (a tool's main script), the folders
    // above are a package manager's store (pnpm's .pnpm/node_modules holds every package of the workspace).
    const insideAnInstall = dir.split(path.sep).includes('node_modules');
    for (const entry of insideAnInstall ? [] : list(nm)) {
      if (entry.startsWith('@')) names.push(...list(path.join(nm, entry)).map((n) => `${entry}/${n}`));
      else names.push(entry);
    }
    if (path.dirname(dir) === dir) return names;
  }
}

function nearestManifestDir(fs: NodeFs, path: NodePath, start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function installedDir(fs: NodeFs, path: NodePath, name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', ...name.split('/'));
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
