// Plugins are found by the "nutshell": { "backends": [...] } field of their package.json, from this workspace
// package's own dependencies (a pnpm layout), in a fresh process where nothing imported them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('plugin discovery by package.json convention (real pnpm install)', () => {
  it("useBackend('wasm') imports @nutshell/backend-wasm, which nothing imported, because its package.json declares it", () => {
    const script = `
      const { useBackend, listBackends } = await import('@nutshell/backend');
      const before = listBackends().map((p) => p.name);
      const sel = await useBackend('wasm');
      console.log('@@' + JSON.stringify({ before, name: sel.name, after: listBackends().map((p) => p.name).sort() }));`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = out.stdout.split('\n').find((l) => l.startsWith('@@'));
    expect(line, out.stderr).toBeDefined();
    const r = JSON.parse(line!.slice(2));
    expect(r.before).toEqual(['cpu']);
    expect(r.name).toBe('wasm');
    expect(r.after).toContain('wasm');
  });
});
