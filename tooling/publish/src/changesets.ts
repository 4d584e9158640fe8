// Running `changeset version` on a throw-away copy of the workspace's manifests.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import semver from 'semver';
import { run } from './process.js';
import { ROOT, workspacePackages, type WorkspacePackage } from './workspace.js';

const VERSION_TIMEOUT_MS = 60_000;

/**
 * The packages a release of `changed` (bumped to `newVersion`) must bump, computed from the manifests: it, and every
 * package whose `dependencies`, `peerDependencies` or `optionalDependencies` range on a bumped package no longer
 * accepts the new version (`workspace:*` is the exact current version, `workspace:^` is `^current`); such a
 * dependent gets a patch, which can in turn push its own dependents out of range. devDependencies do not publish,
 * so they never cause a bump. This is semver's rule, written independently of changesets.
 */
export function expectedBumps(changed: string, newVersion: string, packages: readonly WorkspacePackage[]): Map<string, string> {
  const bumped = new Map([[changed, newVersion]]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of packages) {
      if (bumped.has(p.name)) continue;
      const m = p.manifest;
      const deps: Record<string, string> = { ...m.dependencies, ...m.peerDependencies, ...m.optionalDependencies };
      const outOfRange = Object.entries(deps).some(([d, spec]) => {
        const next = bumped.get(d);
        if (!next) return false;
        const current = packages.find((q) => q.name === d)!.version;
        const range = spec.startsWith('workspace:') ? spec.slice('workspace:'.length) : spec;
        const effective = range === '*' ? current : range === '^' || range === '~' ? `${range}${current}` : range;
        return !semver.satisfies(next, effective);
      });
      if (outOfRange) {
        bumped.set(p.name, semver.inc(p.version, 'patch')!);
        grew = true;
      }
    }
  }
  return bumped;
}

/** The changeset files waiting in the repository's .changeset directory. */
export function pendingChangesets(): string[] {
  return readdirSync(join(ROOT, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
}

/** The packages the pending changesets name. */
export function packagesWithPendingChangesets(): Set<string> {
  const names = new Set<string>();
  for (const f of pendingChangesets()) {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(ROOT, '.changeset', f), 'utf8'))?.[1] ?? '';
    for (const m of front.matchAll(/^["']?(@nutshell\/[\w-]+)["']?\s*:/gm)) names.add(m[1]);
  }
  return names;
}

/** The result of a `changeset version` run in a copy. */
export interface VersionRun {
  dir: string;
  before: Map<string, string>;
  after: Map<string, string>;
  changelog(name: string): string | undefined;
}

/**
 * Copies the root manifest, the workspace file, the changesets config and every package.json into a temporary
 * directory, writes one changeset, runs `changeset version` there and reads the versions back.
 */
export async function versionInCopy(changeset: string | 'pending'): Promise<VersionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'nutshell-changesets-'));
  for (const f of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json']) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    cpSync(join(ROOT, f), join(dir, f));
  }
  // The changelog generator is resolved from .changeset/; give the copy the workspace's installed tools.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const packages = workspacePackages();
  for (const p of packages) {
    mkdirSync(join(dir, relative(ROOT, p.dir)), { recursive: true });
    cpSync(join(p.dir, 'package.json'), join(dir, relative(ROOT, p.dir), 'package.json'));
  }
  if (changeset === 'pending') {
    for (const f of pendingChangesets()) cpSync(join(ROOT, '.changeset', f), join(dir, '.changeset', f));
  } else {
    writeFileSync(join(dir, '.changeset', 'publish-test.md'), changeset);
  }
  const bin = join(ROOT, 'node_modules', '@changesets', 'cli', 'bin.js');
  await run(process.execPath, [bin, 'version'], { cwd: dir, timeoutMs: VERSION_TIMEOUT_MS });
  const read = (p: WorkspacePackage) => JSON.parse(readFileSync(join(dir, relative(ROOT, p.dir), 'package.json'), 'utf8')).version as string;
  return {
    dir,
    before: new Map(packages.map((p) => [p.name, p.version])),
    after: new Map(packages.map((p) => [p.name, read(p)])),
    changelog(name) {
      const p = packages.find((q) => q.name === name);
      try {
        return p ? readFileSync(join(dir, relative(ROOT, p.dir), 'CHANGELOG.md'), 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
