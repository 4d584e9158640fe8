import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors.js';

/** What a run folder's lock file records about the process that holds it. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

/**
 * The run folder is being written by another process (a training run, or a resume of it). Exit code 2, like
 * every usage error; the message names the holder's pid, host and start time.
 */
export class RunLockedError extends UsageError {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `run folder '${dir}' is in use by pid ${holder.pid} on ${holder.host} (since ${holder.startedAt}); ` +
        `wait for that run to finish, or delete ${lockPath(dir)} if that process is gone.`,
    );
    this.name = 'RunLockedError';
  }
}

/** `<run>/.lock`. */
export function lockPath(dir: string): string {
  return join(dir, '.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return Number.isInteger(h.pid) && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the run folder's lock, so two processes never write one run (two trainings with one `--out`, or a
 * `--resume` of a run still training). The lock file is written whole, then linked into place (atomic: exactly
 * one process succeeds). A lock left by a process that no longer runs on this host (killed) is stale and is
 * taken over, with `onStale` told; a live holder is a {@link RunLockedError}. `release()` removes it.
 */
export function acquireRunLock(
  dir: string,
  onStale: (holder: LockHolder) => void = () => {},
): { release(): void } {
  const path = lockPath(dir);
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const temp = `${path}.${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, path);
        break;
      } catch (e) {
        if ((e as { code?: string }).code !== 'EEXIST' || attempt > 0) throw e;
        const holder = readHolder(path);
        if (holder && !(holder.host === me.host && !alive(holder.pid))) throw new RunLockedError(dir, holder);
        // Stale (its process is gone) or unreadable: take it over.
        if (holder) onStale(holder);
        unlinkSync(path);
      }
    }
  } finally {
    unlinkSync(temp);
  }
  const release = (): void => {
    if (readHolder(path)?.pid === me.pid) unlinkSync(path);
    process.off('exit', release);
  };
  process.on('exit', release);
  return { release };
}
