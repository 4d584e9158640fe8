// `nutshell train --tensorboard` (built CLI, spawned): event files in <run dir>/tensorboard.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { maskedCrc32c } from '@nutshell/tensorboard';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nutshell-tensorboard-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function nutshell(...args: string[]) {
  const env = { ...process.env };
  delete env.NUTSHELL_BACKEND;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: tmp,
    env,
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The records of a TFRecord file, each CRC checked. */
function records(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < file.length;) {
    const n = Number(file.readBigUInt64LE(at));
    expect(file.readUInt32LE(at + 8)).toBe(maskedCrc32c(file.subarray(at, at + 8)));
    const data = file.subarray(at + 12, at + 12 + n);
    expect(file.readUInt32LE(at + 12 + n)).toBe(maskedCrc32c(data));
    out.push(data);
    at += 16 + n;
  }
  return out;
}

describe('nutshell train --tensorboard', () => {
  it('writes an event file with per-batch and per-epoch scalars and the histograms', () => {
    const run = join(tmp, 'logreg');
    const r = nutshell(
      'train',
      'logreg-cancer',
      '--epochs',
      '2',
      '--out',
      run,
      '--backend',
      'cpu',
      '--tensorboard',
    );
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(run, 'tensorboard'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^events\.out\.tfevents\.\d+\./);
    expect(r.stdout).toContain(
      `tensorboard: ${join(run, 'tensorboard', files[0])} (view with: tensorboard --logdir ${join(run, 'tensorboard')})`,
    );
    const recs = records(readFileSync(join(run, 'tensorboard', files[0])));
    const withTag = (tag: string) => recs.filter((d) => d.includes(Buffer.from(tag))).length;
    expect(recs[0].includes(Buffer.from('brain.Event:2'))).toBe(true);
    // 455 training samples, batch 32: 15 steps an epoch, 2 epochs
    expect(withTag('batch/loss')).toBe(30);
    expect(withTag('epoch/loss')).toBe(2);
    expect(withTag('epoch/lr')).toBe(2);
    expect(withTag('weights/logit/kernel')).toBe(2);
    expect(withTag('gradients/logit/bias')).toBe(2);
  }, 60_000);

  it('a tensorboard path that is a file: LogDirError naming it, exit 1', () => {
    const run = join(tmp, 'blocked');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'tensorboard'), 'not a folder');
    const r = nutshell(
      'train',
      'logreg-cancer',
      '--epochs',
      '1',
      '--out',
      run,
      '--backend',
      'cpu',
      '--tensorboard',
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `nutshell: LogDirError: TensorBoard log folder '${join(run, 'tensorboard')}': it is a file, not a folder.`,
    );
  }, 60_000);
});
