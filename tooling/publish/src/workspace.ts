// The publishable packages of the workspace, read from their package.json files.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A workspace package as its package.json describes it. */
export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
  private: boolean;
  manifest: Record<string, any>;
}

/** Every package under the workspace globs `packages/*`, `apps/*` and `tooling/*`. */
export function workspacePackages(): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    const base = join(ROOT, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base).sort()) {
      const file = join(base, entry, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      out.push({ name: manifest.name, version: manifest.version, dir: join(base, entry), private: manifest.private === true, manifest });
    }
  }
  return out;
}

/** The packages users install: everything under `packages/` that is not private. */
export function publishablePackages(): WorkspacePackage[] {
  return workspacePackages().filter((p) => !p.private && p.dir.startsWith(join(ROOT, 'packages')));
}
