import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useBackend } from '@nutshell/backend';
import './index.js';

describe('after activating wasm, an uncaught error is reported as Node reports it', () => {
  it('leaves no handler of the Emscripten module on process', async () => {
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    await useBackend('wasm');
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(
      before,
    );
  });

  it('a program that throws prints its own message and stack, not 38 KB of minified Emscripten source', () => {
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `import { useBackend } from '@nutshell/backend'; await import(${JSON.stringify(dist)}); await useBackend('wasm'); setTimeout(() => { throw new Error('the user error'); }, 0);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Error: the user error');
    expect(r.stderr).not.toContain('ExitStatus');
    expect(r.stderr.length).toBeLessThan(2000);
  }, 60_000);
});
