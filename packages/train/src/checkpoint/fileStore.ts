import { asFileError } from '@nutshell/tensor';
import { CheckpointError } from '../errors.js';
import type { CheckpointStore } from './store.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

let modules: Promise<{ fs: Fs; path: Path }> | undefined;
// Imported on first use, so that code which never writes to disk (a browser) never loads node:fs.
const node = () => (modules ??= Promise.all([import('node:fs/promises'), import('node:path')]).then(([fs, path]) => ({ fs, path })));

/**
 * Checkpoints as files in a folder (Node). Writes are atomic and durable: the bytes go to a temporary file in
 * the same folder, which is flushed to disk (fsync) and then renamed over the target; the folder is flushed
 * too, so a crash or SIGKILL at any moment leaves either the old file or the complete new one. Temporary files
 * left by a process killed mid-write are removed by the next write. A checkpoint that cannot be read (a
 * directory in its place, no permission) is a `CheckpointError`, so a resume falls back to an older one; a
 * folder that cannot be made or written is a `FileError` naming it.
 * @public
 */
export class FileCheckpointStore implements CheckpointStore {
  readonly location: string;
  /** Makes one with the given settings (see the class description for defaults). */
  constructor(dir: string) {
    this.location = dir;
  }

  /** {@inheritDoc CheckpointStore.list} */
  async list(): Promise<string[]> {
    const { fs } = await node();
    try {
      return (await fs.readdir(this.location)).filter((n) => !n.includes('.tmp-'));
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return [];
      throw asFileError('checkpoints', this.location, 'a folder of checkpoints', e);
    }
  }

  /** {@inheritDoc CheckpointStore.read} */
  async read(name: string): Promise<Uint8Array> {
    const { fs, path } = await node();
    const file = path.join(this.location, name);
    try {
      return new Uint8Array(await fs.readFile(file));
    } catch (e) {
      const typed = asFileError('checkpoints', file, 'a checkpoint file', e);
      if (typed === e) throw e;
      throw new CheckpointError(file, `Checkpoint ${file} cannot be read: ${(typed as Error).message}`);
    }
  }

  /** {@inheritDoc CheckpointStore.write} */
  async write(name: string, bytes: Uint8Array): Promise<void> {
    const { fs, path } = await node();
    try {
      await fs.mkdir(this.location, { recursive: true });
    } catch (e) {
      throw asFileError('checkpoints', this.location, 'a folder to write checkpoints in', e);
    }
    await this.removeStaleTemps();
    const target = path.join(this.location, name);
    const temp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    let handle: Awaited<ReturnType<Fs['open']>>;
    try {
      handle = await fs.open(temp, 'w');
    } catch (e) {
      throw asFileError('checkpoints', temp, 'a writable checkpoint folder', e);
    }
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(temp, target);
    } catch (e) {
      // An empty directory where the checkpoint belongs (resumes skip it as unreadable) is cleared; anything
      // else there stays, and the write fails naming the path.
      const cleared = (e as { code?: string }).code === 'EISDIR' && (await fs.rmdir(target).then(() => true, () => false));
      if (!cleared) {
        await fs.rm(temp, { force: true });
        throw asFileError('checkpoints', target, 'a checkpoint file to replace', e);
      }
      await fs.rename(temp, target);
    }
    // Make the rename itself durable. Some platforms cannot open a folder for syncing; the rename stands anyway.
    try {
      const dir = await fs.open(this.location, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch {
      /* not supported here */
    }
  }

  // Temporary files of writers that no longer run (killed mid-write): `<name>.tmp-<pid>-<random>`.
  private async removeStaleTemps(): Promise<void> {
    const { fs, path } = await node();
    for (const n of await fs.readdir(this.location)) {
      const m = /\.tmp-(\d+)-/.exec(n);
      if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) await fs.rm(path.join(this.location, n), { force: true });
    }
  }

  /** {@inheritDoc CheckpointStore.remove} */
  async remove(name: string): Promise<void> {
    const { fs, path } = await node();
    const file = path.join(this.location, name);
    try {
      await fs.rm(file, { force: true });
    } catch (e) {
      // An empty directory in a checkpoint's place goes too; a non-empty one is the user's and stays.
      if (!(await fs.rmdir(file).then(() => true, () => false))) throw asFileError('checkpoints', file, 'a checkpoint file to remove', e);
    }
  }
}

/** Whether a process with this id runs on this machine (signal 0 checks without signalling). @internal */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'; // exists, owned by another user
  }
}
