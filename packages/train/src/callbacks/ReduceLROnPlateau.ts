import type { Callback, TrainingContext } from './callback.js';
import type { EpochEndEvent } from '../trainer/events.js';
import { ConfigError } from '../errors.js';
import { Monitor } from './monitor.js';
import type { MonitorMode } from './monitor.js';

/** ReduceLROnPlateau's settings. @public */
export interface ReduceLROnPlateauOptions {
  /** Default `'val_loss'`. */
  readonly monitor?: string;
  /** Whether lower (`'min'`) or higher (`'max'`) is better; `'auto'` (default) guesses from the name. */
  readonly mode?: MonitorMode;
  /** The rate is multiplied by this (default 0.1). */
  readonly factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  readonly patience?: number;
  /** Smallest change that counts as an improvement (default 1e-4). */
  readonly minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  readonly cooldown?: number;
  /** The rate never goes below this (default 0). */
  readonly minLearningRate?: number;
}

/**
 * Multiplies the learning rate by `factor` when a monitored value has not improved for `patience` epochs.
 * @public
 */
export class ReduceLROnPlateau implements Callback {
  private readonly monitor: Monitor;
  private readonly factor: number;
  private readonly patience: number;
  private readonly cooldown: number;
  private readonly minLr: number;
  private wait = 0;
  private cooling = 0;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(options: ReduceLROnPlateauOptions = {}) {
    this.monitor = new Monitor('ReduceLROnPlateau', options.monitor ?? 'val_loss', options.mode ?? 'auto', options.minDelta ?? 1e-4);
    this.factor = options.factor ?? 0.1;
    if (!(this.factor > 0 && this.factor < 1)) throw new ConfigError('factor', `ReduceLROnPlateau: factor must be in (0, 1), got ${this.factor}.`);
    this.patience = options.patience ?? 10;
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLearningRate ?? 0;
  }

  /** Checks the epoch's logs (see the class description). */
  onEpochEnd(e: EpochEndEvent, ctx: TrainingContext): void {
    const v = this.monitor.read(e.logs);
    if (this.cooling > 0) {
      this.cooling--;
      this.wait = 0;
    }
    if (this.monitor.improves(v)) {
      this.monitor.best = v;
      this.wait = 0;
      return;
    }
    if (this.cooling > 0) return;
    this.wait++;
    if (this.wait >= this.patience) {
      const lr = ctx.optimizer.learningRate;
      ctx.optimizer.learningRate = Math.max(this.minLr, lr * this.factor);
      this.cooling = this.cooldown;
      this.wait = 0;
    }
  }

  /** The state saved in run checkpoints. */
  getState(): unknown {
    return { best: this.monitor.best, wait: this.wait, cooling: this.cooling };
  }

  /** Restores the state saved in a run checkpoint. */
  setState(s: unknown): void {
    const st = s as { best: number; wait: number; cooling: number };
    this.monitor.best = st.best;
    this.wait = st.wait;
    this.cooling = st.cooling;
  }
}
