/**
 * Where checkpoints live: a flat set of named byte files. `write` must be atomic (a reader sees the old file or
 * the whole new one, never a part). `FileCheckpointStore` keeps them in a folder (Node); `MemoryCheckpointStore`
 * in memory (browsers, tests). Implement it to keep checkpoints elsewhere (IndexedDB, a server).
 * @public
 */
export interface CheckpointStore {
  /** Where the store keeps its files, for messages (a folder path, or a label). */
  readonly location: string;
  /** The names of the files in the store. */
  list(): Promise<string[]>;
  /** A file's bytes. */
  read(name: string): Promise<Uint8Array>;
  /** Writes a file atomically, replacing any file of that name. */
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** Deletes a file (no error if it is absent). */
  remove(name: string): Promise<void>;
}

/**
 * Checkpoints in memory: for browsers and tests.
 * @public
 */
export class MemoryCheckpointStore implements CheckpointStore {
  /** A label for messages. */
  readonly location: string;
  /** The files, by name (tests may damage them on purpose). */
  readonly files = new Map<string, Uint8Array>();
  /** Makes one with the given settings (see the class description for defaults). */
  constructor(location = 'memory') {
    this.location = location;
  }
  /** {@inheritDoc CheckpointStore.list} */
  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }
  /** {@inheritDoc CheckpointStore.read} */
  async read(name: string): Promise<Uint8Array> {
    const f = this.files.get(name);
    if (!f) throw new Error(`${this.location}: no file '${name}'.`);
    return f.slice();
  }
  /** {@inheritDoc CheckpointStore.write} */
  async write(name: string, bytes: Uint8Array): Promise<void> {
    this.files.set(name, bytes.slice());
  }
  /** {@inheritDoc CheckpointStore.remove} */
  async remove(name: string): Promise<void> {
    this.files.delete(name);
  }
}

/** A store for a folder path (loaded only when used, so browsers never load `node:fs`), or the store itself. */
export async function openStore(to: string | CheckpointStore): Promise<CheckpointStore> {
  if (typeof to !== 'string') return to;
  const { FileCheckpointStore } = await import('./fileStore.js');
  return new FileCheckpointStore(to);
}
