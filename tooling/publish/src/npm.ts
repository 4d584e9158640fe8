// Fresh npm projects outside the workspace, installing from the test registry with plain npm.
import { mkdirSync, readdirSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, run, type RunResult } from './process.js';
import type { Registry } from './registry.js';

const INSTALL_TIMEOUT_MS = 240_000;
const SCRIPT_TIMEOUT_MS = 120_000;

/** npm's settings for every project: the test registry only, a shared cache in the temporary directory. */
export function npmEnv(registry: Registry, cacheDir: string): NodeJS.ProcessEnv {
  return cleanEnv({
    npm_config_registry: registry.url,
    npm_config_userconfig: registry.npmrc,
    npm_config_cache: cacheDir,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    npm_config_package_lock: 'false',
    npm_config_prefer_offline: 'true',
  });
}

/** A fresh project directory with a minimal ESM package.json. */
export function newProject(base: string, name: string): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.0', private: true, type: 'module' }, null, 2));
  return dir;
}

/** `npm install <specs>` in `dir`. */
export function npmInstall(dir: string, specs: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return run('npm', ['install', '--no-save', ...specs], { cwd: dir, env, timeoutMs: INSTALL_TIMEOUT_MS });
}

/** Writes `source` to `dir/name` and runs it with node; resolves with its stdout. */
export async function runScript(dir: string, name: string, source: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  writeFileSync(join(dir, name), source);
  return run(process.execPath, [name], { cwd: dir, env, timeoutMs: SCRIPT_TIMEOUT_MS });
}

/** Every installed package in `dir/node_modules` (name → directory), scoped ones included. */
export function installedPackages(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (nm: string) => {
    let entries: string[];
    try {
      entries = readdirSync(nm);
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.startsWith('.')) continue;
      const p = join(nm, e);
      if (e.startsWith('@')) {
        for (const s of readdirSync(p)) {
          out.set(`${e}/${s}`, join(p, s));
          walk(join(p, s, 'node_modules'));
        }
      } else {
        out.set(e, p);
        walk(join(p, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return out;
}

/** Every copy of package `name` under `dir/node_modules`, nested ones included. */
export function copiesOf(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (nm: string) => {
    let entries: string[];
    try {
      entries = readdirSync(nm);
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.startsWith('.')) continue;
      const p = join(nm, e);
      const pkgs = e.startsWith('@') ? readdirSync(p).map((s) => [`${e}/${s}`, join(p, s)]) : [[e, p]];
      for (const [n, d] of pkgs) {
        if (n === name) found.push(d);
        walk(join(d, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return found;
}

/** Bytes on disk under `path` (files' apparent sizes; links not followed). */
export function diskSize(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const e of readdirSync(path)) total += diskSize(join(path, e));
  return total;
}
