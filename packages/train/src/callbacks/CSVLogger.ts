import type { Callback } from './callback.js';
import type { EpochEndEvent, FitStartEvent } from '../trainer/events.js';

/** Where CSVLogger writes: a file path (Node), or a function that receives text to append. @public */
export type CsvTarget = string | ((text: string, options: { truncate: boolean }) => void | Promise<void>);

/**
 * Writes one CSV row per epoch: `epoch`, `lr` and every logged value (columns fixed by the first epoch).
 * A fresh run starts the file anew; a resumed run appends to it.
 * @public
 */
export class CSVLogger implements Callback {
  private columns: string[] | undefined;
  private fresh = true;
  private readonly write: (text: string, options: { truncate: boolean }) => Promise<void>;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(target: CsvTarget) {
    if (typeof target === 'function') {
      this.write = async (t, o) => target(t, o);
    } else {
      this.write = async (text, { truncate }) => {
        const fs = await import('node:fs/promises');
        const path = await import('node:path');
        await fs.mkdir(path.dirname(target), { recursive: true });
        if (truncate) await fs.writeFile(target, text);
        else await fs.appendFile(target, text);
      };
    }
  }

  /** Resets per-run state. */
  onFitStart(e: FitStartEvent): void {
    this.fresh = e.initialEpoch === 0 && e.initialStep === 0;
    if (this.fresh) this.columns = undefined;
  }

  /** Writes the epoch's row (and the header, first). */
  async onEpochEnd(e: EpochEndEvent): Promise<void> {
    let header = '';
    if (!this.columns) {
      this.columns = Object.keys(e.logs);
      if (this.fresh) header = ['epoch', ...this.columns, 'lr'].join(',') + '\n';
    }
    const row = [e.epoch, ...this.columns.map((c) => e.logs[c] ?? ''), e.lr].join(',') + '\n';
    await this.write(header + row, { truncate: header !== '' });
    this.fresh = false;
  }

  /** The state saved in run checkpoints. */
  getState(): unknown {
    return { columns: this.columns ?? null };
  }

  /** Restores the state saved in a run checkpoint. */
  setState(s: unknown): void {
    const cols = (s as { columns: string[] | null }).columns;
    this.columns = cols ?? undefined;
  }
}
