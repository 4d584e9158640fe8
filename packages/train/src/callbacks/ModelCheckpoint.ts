import type { Callback, TrainingContext } from './callback.js';
import type { EpochEndEvent } from '../trainer/events.js';
import { ConfigError } from '../errors.js';
import { Monitor } from './monitor.js';
import type { MonitorMode } from './monitor.js';
import { openStore } from '../checkpoint/store.js';
import type { CheckpointStore } from '../checkpoint/store.js';
import { saveWeightsCheckpoint } from '../checkpoint/weightsFile.js';

/** ModelCheckpoint's settings. @public */
export interface ModelCheckpointOptions {
  /** A folder (Node) or a store. */
  readonly to: string | CheckpointStore;
  /** The logged value that decides "best" (default `'val_loss'`). */
  readonly monitor?: string;
  /** Whether lower (`'min'`) or higher (`'max'`) is better; `'auto'` (default) guesses from the name. */
  readonly mode?: MonitorMode;
  /** Save only epochs that improve on the best so far (default true); otherwise every epoch. */
  readonly saveBestOnly?: boolean;
  /** Keep the newest N epoch files (default 3); `best.weights` is always kept. */
  readonly keep?: number;
}

const PATTERN = /^epoch-(\d+)\.weights$/;

/**
 * Saves the model's weights at the end of epochs: `epoch-<n>.weights` for each saved epoch (the newest `keep`
 * are kept) and `best.weights` for the best on the monitored value. Files are checksummed and written
 * atomically; load one with `loadWeightsCheckpoint(model, dir, 'best.weights')`.
 * @public
 */
export class ModelCheckpoint implements Callback {
  private readonly monitor: Monitor;
  private readonly saveBestOnly: boolean;
  private readonly keep: number;
  private store: CheckpointStore | undefined;
  /** The epoch of `best.weights` (−1 before one is written). */
  bestEpoch = -1;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(private readonly options: ModelCheckpointOptions) {
    this.monitor = new Monitor('ModelCheckpoint', options.monitor ?? 'val_loss', options.mode ?? 'auto', 0);
    this.saveBestOnly = options.saveBestOnly ?? true;
    this.keep = options.keep ?? 3;
    if (!Number.isInteger(this.keep) || this.keep <= 0) throw new ConfigError('keep', `ModelCheckpoint: keep must be a positive integer, got ${this.keep}.`);
  }

  /** Saves the weights when the epoch qualifies, then prunes old files. */
  async onEpochEnd(e: EpochEndEvent, ctx: TrainingContext): Promise<void> {
    const v = this.monitor.read(e.logs);
    const improved = this.monitor.improves(v);
    if (this.saveBestOnly && !improved) return;
    this.store ??= await openStore(this.options.to);
    const meta = { epoch: String(e.epoch), monitor: this.monitor.key, value: String(v) };
    await saveWeightsCheckpoint(ctx.model, this.store, `epoch-${String(e.epoch).padStart(4, '0')}.weights`, meta);
    if (improved) {
      this.monitor.best = v;
      this.bestEpoch = e.epoch;
      await saveWeightsCheckpoint(ctx.model, this.store, 'best.weights', meta);
    }
    const old = (await this.store.list()).filter((n) => PATTERN.test(n)).sort().reverse().slice(this.keep);
    for (const n of old) await this.store.remove(n);
  }

  /** The state saved in run checkpoints. */
  getState(): unknown {
    return { best: this.monitor.best, bestEpoch: this.bestEpoch };
  }

  /** Restores the state saved in a run checkpoint. */
  setState(s: unknown): void {
    const st = s as { best: number; bestEpoch: number };
    this.monitor.best = st.best;
    this.bestEpoch = st.bestEpoch;
  }
}
