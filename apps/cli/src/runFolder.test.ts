// Run folders end to end (the built CLI, spawned): the lock, metrics.csv after resumes, remembered settings,
// runs killed before their first checkpoint, refused resumes, and file errors (exit code 2, one line).
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nutshell-runs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const env = (): NodeJS.ProcessEnv => {
  const e = { ...process.env };
  delete e.NUTSHELL_BACKEND;
  return e;
};

function nutshell(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: tmp,
    env: env(),
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const epochsOf = (dir: string): number[] =>
  readFileSync(join(dir, 'metrics.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(',')[0]));

const ckpts = (dir: string): string[] =>
  existsSync(join(dir, 'checkpoints'))
    ? readdirSync(join(dir, 'checkpoints'))
        .filter((f) => f.endsWith('.ckpt'))
        .sort()
    : [];

const train = ['train', 'logreg-cancer', '--backend', 'cpu'];

describe('run folders: one writer, nothing lost, nothing mixed', () => {
  it('two processes: a second writer gets the holder pid (exit 2); a lock left by a killed run does not block its resume', async () => {
    const dir = join(tmp, 'locked');
    const child = spawn(process.execPath, [BIN, ...train, '--epochs', '2000', '--out', dir], {
      cwd: tmp,
      env: env(),
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    while (!existsSync(join(dir, '.lock')) || ckpts(dir).length === 0)
      await new Promise((r) => setTimeout(r, 20));

    const lock = JSON.parse(readFileSync(join(dir, '.lock'), 'utf8')) as {
      pid: number;
      host: string;
      startedAt: string;
    };
    expect(lock.pid).toBe(child.pid);
    expect(lock.host).toBe(hostname());
    const resume = nutshell('train', 'logreg-cancer', '--resume', dir, '--backend', 'cpu');
    expect(resume.code).toBe(2);
    expect(resume.stderr.trim().split('\n')).toHaveLength(1);
    expect(resume.stderr.trim()).toBe(
      `nutshell: error: run folder '${dir}' is in use by pid ${child.pid} on ${lock.host} (since ${lock.startedAt}); wait for that run to finish, or delete ${join(dir, '.lock')} if that process is gone.`,
    );
    const second = nutshell(...train, '--epochs', '1', '--seed', '7', '--out', dir);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`in use by pid ${child.pid}`);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).seed).toBe(0); // not the second run's

    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(dir, '.lock'))).toBe(true); // left behind by the killed process
    const resumed = nutshell('train', 'logreg-cancer', '--resume', dir, '--backend', 'cpu', '--epochs', '1');
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`removed the lock of pid ${child.pid}`);
    expect(existsSync(join(dir, '.lock'))).toBe(false); // released at the end
  }, 120_000);

  it('metrics.csv agrees with the checkpoint a resume falls back to: no epoch twice; --checkpoint-every is remembered', () => {
    const dir = join(tmp, 'fallback');
    expect(nutshell(...train, '--epochs', '4', '--checkpoint-every', '1000', '--out', dir).code).toBe(0);
    expect(epochsOf(dir)).toEqual([1, 2, 3, 4]);
    const files = ckpts(dir);
    expect(files).toHaveLength(2); // the checkpoints of epochs 3 and 4
    // The newest checkpoint becomes unreadable: the resume falls back to the end of epoch 3 and trains epoch 4 again.
    rmSync(join(dir, 'checkpoints', files[1]));
    mkdirSync(join(dir, 'checkpoints', files[1]));
    const r = nutshell('train', 'logreg-cancer', '--resume', dir, '--backend', 'cpu', '--epochs', '5');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning: Checkpoint .* cannot be read: .*is a directory/);
    expect(epochsOf(dir)).toEqual([1, 2, 3, 4, 5]);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      checkpointEvery: number;
      epochs: number;
    };
    expect(config.checkpointEvery).toBe(1000);
    expect(config.epochs).toBe(5);
  }, 120_000);

  it('a run killed after config.json but before its first checkpoint resumes from the beginning', () => {
    const dir = join(tmp, 'no-checkpoint-yet');
    expect(nutshell(...train, '--epochs', '2', '--checkpoint-every', '7', '--out', dir).code).toBe(0);
    const whole = readFileSync(join(dir, 'model', 'model.safetensors'));
    // Back to the state of a kill right after config.json (and a half-written metrics row).
    for (const f of ['checkpoints', 'model', 'test-metrics.json', 'report.html'])
      rmSync(join(dir, f), { recursive: true, force: true });
    writeFileSync(join(dir, 'metrics.csv'), 'epoch,loss,accuracy,lr,seconds\n1,0.5,0.7,0.01,0.1\n');
    const fresh = nutshell(...train, '--out', dir);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toContain(`continue it with --resume ${dir}`);
    const r = nutshell('train', 'logreg-cancer', '--resume', dir, '--backend', 'cpu');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no checkpoint yet: starting the run again from the beginning');
    expect(epochsOf(dir)).toEqual([1, 2]);
    expect(readFileSync(join(dir, 'model', 'model.safetensors')).equals(whole)).toBe(true);
  }, 120_000);

  it('a refused resume leaves config.json as it was', () => {
    const dir = join(tmp, 'refused');
    expect(nutshell(...train, '--epochs', '1', '--out', dir).code).toBe(0);
    for (const f of ckpts(dir)) writeFileSync(join(dir, 'checkpoints', f), 'not a checkpoint');
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    const r = nutshell('train', 'logreg-cancer', '--resume', dir, '--backend', 'cpu', '--epochs', '9');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^nutshell: error: No usable checkpoint in /);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
  }, 120_000);

  it('--out naming a file and evaluating a run without model/ are one-line errors with exit code 2', () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const out = nutshell(...train, '--epochs', '1', '--out', file);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      `nutshell: error: nutshell train --out: ${file} already exists (as a file); expected a folder for the run (or a path where one can be made).\n`,
    );

    const dir = join(tmp, 'no-model');
    expect(nutshell(...train, '--epochs', '1', '--out', dir).code).toBe(0);
    rmSync(join(dir, 'model'), { recursive: true });
    const ev = nutshell('evaluate', dir, '--backend', 'cpu');
    expect(ev.code).toBe(2);
    expect(ev.stderr).toBe(
      `nutshell: error: loadModel: ${join(dir, 'model')} does not exist; expected a model folder written by saveModel (model.json and model.safetensors).\n`,
    );
  }, 120_000);
});
