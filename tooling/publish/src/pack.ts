// Packs workspace packages with `pnpm pack`, which rewrites workspace: ranges to real versions.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './process.js';
import type { WorkspacePackage } from './workspace.js';

/** A packed package. */
export interface Tarball {
  name: string;
  version: string;
  file: string;
  bytes: number;
}

const PACK_TIMEOUT_MS = 60_000;

function tarballName(p: WorkspacePackage): string {
  return `${p.name.replace(/^@/, '').replace('/', '-')}-${p.version}.tgz`;
}

/** Packs each package into `dest`, a few at a time. */
export async function packAll(packages: readonly WorkspacePackage[], dest: string): Promise<Tarball[]> {
  mkdirSync(dest, { recursive: true });
  const queue = [...packages];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      await run('pnpm', ['pack', '--pack-destination', dest], { cwd: p.dir, timeoutMs: PACK_TIMEOUT_MS });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const files = new Set(readdirSync(dest));
  return packages.map((p) => {
    const name = tarballName(p);
    if (!files.has(name)) throw new Error(`pnpm pack did not produce ${name} for ${p.name}`);
    return { name: p.name, version: p.version, file: join(dest, name), bytes: statSync(join(dest, name)).size };
  });
}
