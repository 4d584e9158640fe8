import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A shared library found on disk.
 * @public
 */
export interface FoundLibrary {
  /** The file name, e.g. `'libcudart.so.12'`. */
  readonly file: string;
  /** The directory it is in. */
  readonly dir: string;
  /** Whether the dynamic loader searches that directory (LD_LIBRARY_PATH, the ldconfig cache, /lib, /usr/lib). */
  readonly loadable: boolean;
  /** The major version in its name (12 for `libcudart.so.12`, 11 for `libcudart.so.11.0`, 8 for `libcudnn.so.8`). */
  readonly major: number;
}

/** Where CUDA installs that the loader may not be told about usually live. */
export const DEFAULT_CUDA_HINT_DIRS: readonly string[] = [
  '/usr/local/cuda/lib64',
  '/usr/local/cuda-11.2/lib64',
  '/usr/local/cuda-11/lib64',
  '/usr/local/cuda-12/lib64',
  '/usr/local/cuda-13/lib64',
  '/usr/local/cuda/targets/x86_64-linux/lib',
  '/opt/cuda/lib64',
];

const LDCONFIG_TIMEOUT_MS = 10_000;

/** The directories of every library in `ldconfig -p` output. */
export function parseLdconfigDirs(text: string): string[] {
  const dirs = new Set<string>();
  for (const m of text.matchAll(/=>\s*(\S+)\/[^/\s]+\s*$/gm)) dirs.add(m[1]);
  return [...dirs];
}

/**
 * The directories the dynamic loader searches, in its order: LD_LIBRARY_PATH, then the ldconfig cache, then the
 * trusted defaults.
 */
export function defaultLoaderDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  let fromCache: string[] = [];
  for (const ldconfig of ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']) {
    try {
      const out = execFileSync(ldconfig, ['-p'], { encoding: 'utf8', timeout: LDCONFIG_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'] });
      fromCache = parseLdconfigDirs(out);
      break;
    } catch {
      // try the next location
    }
  }
  const defaults = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib'];
  return [...new Set([...fromEnv, ...fromCache, ...defaults])];
}

function isElf(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === '\x7fELF';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Every ELF file named `<stem>.so.<major>[.<minor>...]` in the given directories; those in `loaderDirs` are
 * marked loadable. Files that are not shared objects (broken links, text) are ignored.
 */
export function findLibraries(stem: string, loaderDirs: readonly string[], hintDirs: readonly string[]): FoundLibrary[] {
  const pattern = new RegExp(`^${stem.replace(/\./g, '\\.')}\\.so\\.(\\d+)(\\.\\d+)*$`);
  const loader = new Set(loaderDirs);
  const found: FoundLibrary[] = [];
  for (const dir of new Set([...loaderDirs, ...hintDirs])) {
    if (!existsSync(dir)) continue;
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const file of files) {
      const m = pattern.exec(file);
      if (m && isElf(join(dir, file))) found.push({ file, dir, loadable: loader.has(dir), major: Number(m[1]) });
    }
  }
  return found;
}
