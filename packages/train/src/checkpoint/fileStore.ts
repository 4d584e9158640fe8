import type { CheckpointStore } from './store.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

let modules: Promise<{ fs: Fs; path: Path }> | undefined;
// Imported on first use, so that code which never writes to disk (a browser) never loads node:fs.
const node = () => (modules ??= Promise.all([import('node:fs/promises'), import('node:path')]).then(([fs, path]) => ({ fs, path })));

/**
 * Checkpoints as files in a folder (Node). Writes are atomic and durable: the bytes go to a temporary file in
 * the same folder, which is flushed to disk (fsync) and then renamed over the target; the folder is flushed
 * too, so a crash or SIGKILL at any moment leaves either the old file or the complete new one.
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
      throw e;
    }
  }

  /** {@inheritDoc CheckpointStore.read} */
  async read(name: string): Promise<Uint8Array> {
    const { fs, path } = await node();
    return new Uint8Array(await fs.readFile(path.join(this.location, name)));
  }

  /** {@inheritDoc CheckpointStore.write} */
  async write(name: string, bytes: Uint8Array): Promise<void> {
    const { fs, path } = await node();
    await fs.mkdir(this.location, { recursive: true });
    const target = path.join(this.location, name);
    const temp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
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

  /** {@inheritDoc CheckpointStore.remove} */
  async remove(name: string): Promise<void> {
    const { fs, path } = await node();
    await fs.rm(path.join(this.location, name), { force: true });
  }
}
