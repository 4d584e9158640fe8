import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../test-fixtures/killableRun.mjs', import.meta.url));
const built = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Runs the fixture; when `killAfterStep` is set, SIGKILLs it once it reports that step. */
function run(args: string[], killAfterStep?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (killAfterStep !== undefined && out.includes(`step ${killAfterStep}\n`)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`fixture exited with ${code}: ${err}`));
      else resolve({ code, signal, out });
    });
  });
}

describe.skipIf(!existsSync(built))('a run killed with SIGKILL and resumed (runs dist/: build first)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nutshell-sigkill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('twice (mid-epoch, then at an arbitrary point in epoch 2) ends with the same weights, bit for bit, as the run never killed', async () => {
    const straight = join(dir, 'straight.bin');
    await run([join(dir, 'ckpt-straight'), 'fresh', straight, '0']);

    // 28 steps per epoch (896 training samples / 32), a checkpoint every 5 steps and at each epoch end.
    // First the process SIGKILLs itself right after step 41 (in epoch 1): the newest checkpoint is step 40.
    const ckpt = join(dir, 'ckpt-killed');
    const killed = await run([ckpt, 'fresh', join(dir, 'never-written.bin'), '0', '41']);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.out).not.toContain('done');
    expect(existsSync(join(dir, 'never-written.bin'))).toBe(false);

    // Then resume, and let the parent SIGKILL it at whatever point it has reached once it reports step 60
    // (possibly in the middle of writing a checkpoint).
    const again = await run([ckpt, 'resume', join(dir, 'never-written-2.bin'), '20'], 60);
    expect(/start (\d+) (\d+)/.exec(again.out)!.slice(1).map(Number)).toEqual([1, 40]); // mid-epoch
    expect(again.signal).toBe('SIGKILL');

    const resumedFile = join(dir, 'resumed.bin');
    const resumed = await run([ckpt, 'resume', resumedFile, '0']);
    const [, epoch, step] = /start (\d+) (\d+)/.exec(resumed.out)!.map(Number);
    expect(epoch).toBe(2);
    expect(step).toBeGreaterThanOrEqual(56);
    // The weights are equal as bytes.
    expect(Buffer.compare(readFileSync(resumedFile), readFileSync(straight))).toBe(0);
    // Only complete checkpoints remain (a kill during a write leaves at most a temporary file, never a partial checkpoint).
    expect(readdirSync(ckpt).filter((f) => f.endsWith('.ckpt')).length).toBe(2);
  }, 60_000);
});
