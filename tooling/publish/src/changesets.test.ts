import { rmSync } from 'node:fs';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedBumps, packagesWithPendingChangesets, versionInCopy, type VersionRun } from './changesets.js';
import { publishablePackages, workspacePackages } from './workspace.js';

const runs: VersionRun[] = [];
afterAll(() => runs.forEach((r) => rmSync(r.dir, { recursive: true, force: true })));

function changedVersions(r: VersionRun): Map<string, string> {
  return new Map([...r.after].filter(([n, v]) => r.before.get(n) !== v));
}

describe('changeset version in a copy of the workspace', () => {
  it('a minor change to @nutshell/activations bumps it and the dependents it pushes out of range, nothing else', async () => {
    const r = await versionInCopy('---\n"@nutshell/activations": minor\n---\n\nA new unit.\n');
    runs.push(r);
    const next = semver.inc(r.before.get('@nutshell/activations')!, 'minor')!;
    const expected = expectedBumps('@nutshell/activations', next, workspacePackages());
    // the expectation is not empty or trivial: layers depends on activations with ^, backend and tensor do not
    expect(expected.get('@nutshell/layers')).toBe(semver.inc(r.before.get('@nutshell/layers')!, 'patch'));
    expect(expected.has('@nutshell/backend')).toBe(false);
    expect(expected.has('@nutshell/tensor')).toBe(false);

    expect(Object.fromEntries(changedVersions(r))).toEqual(Object.fromEntries(expected));
    expect(r.changelog('@nutshell/activations')).toMatch(/## 0\.\d+\.0\n\n### Minor Changes\n\n- A new unit\./);
    expect(r.changelog('@nutshell/layers')).toMatch(/### Patch Changes\n\n- Updated dependencies\n {2}- @nutshell\/activations@/);
    expect(r.changelog('@nutshell/backend')).toBeUndefined();
    expect(r.changelog('@nutshell/tensor')).toBeUndefined();
  }, 60_000);

  it('a patch to @nutshell/backend stays in every ^ range: only backend and exact (workspace:*) dependents move', async () => {
    const r = await versionInCopy('---\n"@nutshell/backend": patch\n---\n\nA fix.\n');
    runs.push(r);
    const next = semver.inc(r.before.get('@nutshell/backend')!, 'patch')!;
    const expected = expectedBumps('@nutshell/backend', next, workspacePackages());
    expect(Object.fromEntries(changedVersions(r))).toEqual(Object.fromEntries(expected));
    expect(r.after.get('@nutshell/tensor')).toBe(r.before.get('@nutshell/tensor'));
    expect(r.changelog('@nutshell/backend')).toContain('- A fix.');
  }, 60_000);
});

describe('CHANGELOG.md for every package', () => {
  it('every publishable package has a changesets CHANGELOG.md, or a pending changeset that will write it', () => {
    const pending = packagesWithPendingChangesets();
    const missing = publishablePackages()
      .filter((p) => {
        const file = join(p.dir, 'CHANGELOG.md');
        if (existsSync(file)) return !readFileSync(file, 'utf8').startsWith(`# ${p.name}\n\n## `);
        return !pending.has(p.name);
      })
      .map((p) => p.name);
    expect(missing, 'packages with neither a changesets CHANGELOG.md nor a pending changeset').toEqual([]);
  });

  it('releasing the pending changesets (in a copy) writes each such package a CHANGELOG.md with its entries', async () => {
    const r = await versionInCopy('pending');
    runs.push(r);
    for (const name of packagesWithPendingChangesets()) {
      const log = r.changelog(name);
      expect(log, name).toMatch(new RegExp(`^# ${name.replace('/', '\\/')}\\n\\n## \\d+\\.\\d+\\.\\d+\\n\\n### (Major|Minor|Patch) Changes`));
      expect(r.after.get(name), name).not.toBe(r.before.get(name));
    }
  }, 60_000);
});
