import { existsSync, mkdirSync, statSync } from 'node:fs';
import { asFileError } from '@nutshell/tensor';
import { UsageError } from './errors.js';
import { getRecipe } from './recipes/index.js';
import { defaultRunDir } from './runDir.js';
import { acquireRunLock } from './runLock.js';
import type { Output, TrainFlags } from './commands/train.js';

/**
 * The run folder `nutshell train` will write, created for a new run, and its lock. A folder to resume is not
 * created (the resume is refused later, with its reason); `--out` naming a file is a `FileError` (exit 2).
 */
export function lockRunFolder(
  recipeName: string,
  flags: TrainFlags,
  out: Output,
): { dir: string; lock: { release(): void } } {
  const none = { release: () => {} };
  const dir = flags.resume
    ? typeof flags.resume === 'string'
      ? flags.resume
      : flags.out
    : (flags.out ?? defaultRunDir(getRecipe(recipeName).name));
  if (!dir) return { dir: '', lock: none };
  if (flags.resume) {
    if (!existsSync(dir)) return { dir, lock: none };
  } else {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw asFileError(
        'nutshell train --out',
        dir,
        'a folder for the run (or a path where one can be made)',
        e,
      );
    }
  }
  if (!statSync(dir).isDirectory()) throw new UsageError(`'${dir}' is a file, not a run folder.`);
  const lock = acquireRunLock(dir, (h) =>
    out.log(`run folder: removed the lock of pid ${h.pid} (started ${h.startedAt}), which no longer runs`),
  );
  return { dir, lock };
}
