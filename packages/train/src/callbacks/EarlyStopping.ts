import { tf } from '@nutshell/tensor';
import type { Callback, TrainingContext } from './callback.js';
import type { EpochEndEvent, FitStartEvent } from '../trainer/events.js';
import { Monitor } from './monitor.js';
import type { MonitorMode } from './monitor.js';

/** EarlyStopping's settings. @public */
export interface EarlyStoppingOptions {
  /** The logged value to watch (default `'val_loss'`). */
  readonly monitor?: string;
  /** Whether lower (`'min'`) or higher (`'max'`) is better; `'auto'` (default) guesses from the name. */
  readonly mode?: MonitorMode;
  /** Stop after this many epochs without improvement (default 0: at the first; as in Keras). */
  readonly patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  readonly minDelta?: number;
  /** Put back the weights of the best epoch when training ends (default false). */
  readonly restoreBestWeights?: boolean;
}

/**
 * Stops training when a monitored value has stopped improving for `patience` epochs, and optionally restores
 * the weights of the best epoch.
 * @public
 */
export class EarlyStopping implements Callback {
  private readonly monitor: Monitor;
  private readonly patience: number;
  private readonly restoreBest: boolean;
  private wait = 0;
  /** The best epoch's weights, read back (so that they survive in a run checkpoint). */
  private best: (Float32Array | Int32Array)[] | undefined;
  /** The epoch whose value was best so far (−1 before the first). */
  bestEpoch = -1;
  /** The epoch training stopped after, if it was stopped. */
  stoppedEpoch: number | undefined;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = new Monitor('EarlyStopping', options.monitor ?? 'val_loss', options.mode ?? 'auto', options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.restoreBest = options.restoreBestWeights ?? false;
  }

  /** Resets per-run state. */
  onFitStart(_e: FitStartEvent): void {
    this.stoppedEpoch = undefined;
  }

  /** Checks the epoch's logs (see the class description). */
  async onEpochEnd(e: EpochEndEvent, ctx: TrainingContext): Promise<void> {
    const v = this.monitor.read(e.logs);
    if (this.monitor.improves(v)) {
      this.monitor.best = v;
      this.bestEpoch = e.epoch;
      this.wait = 0;
      if (this.restoreBest) this.best = await Promise.all(ctx.model.weights.map(async (w) => (await w.variable.data()).slice() as Float32Array | Int32Array));
      return;
    }
    this.wait++;
    if (this.wait >= Math.max(1, this.patience)) {
      this.stoppedEpoch = e.epoch;
      ctx.stop(
        `EarlyStopping: ${this.monitor.key} has not improved for ${this.wait} epoch(s) (best ${this.monitor.best} at epoch ${this.bestEpoch}).`,
      );
    }
  }

  /** Restores the best weights, if asked to. */
  onFitEnd(_e: unknown, ctx: TrainingContext): void {
    const best = this.best;
    if (!best) return;
    tf.tidy(() => ctx.model.weights.forEach((w, i) => w.variable.assign(tf.tensor(best[i], w.variable.shape, w.variable.dtype))));
    this.best = undefined;
  }

  getState(): unknown {
    return { best: this.monitor.best, bestEpoch: this.bestEpoch, wait: this.wait, weights: this.best ?? null };
  }

  /** Restores the state saved in a run checkpoint. */
  setState(s: unknown): void {
    const st = s as { best: number; bestEpoch: number; wait: number; weights: (Float32Array | Int32Array)[] | null };
    this.monitor.best = st.best;
    this.bestEpoch = st.bestEpoch;
    this.wait = st.wait;
    this.best = st.weights ?? undefined;
  }
}
