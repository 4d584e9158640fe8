import { ConfigError } from '../errors.js';

/** Whether a monitored value should go down (`'min'`, losses) or up (`'max'`, accuracies); `'auto'` guesses from the name. @public */
export type MonitorMode = 'min' | 'max' | 'auto';

/** Tracks the best value of a logged quantity. */
export class Monitor {
  readonly direction: 'min' | 'max';
  best: number;
  /** Makes one with the given settings (see the class description for defaults). */
  constructor(
    readonly owner: string,
    readonly key: string,
    mode: MonitorMode,
    readonly minDelta: number,
  ) {
    this.direction = mode === 'auto' ? (/acc|auc|precision|recall|f1/i.test(key) ? 'max' : 'min') : mode;
    this.best = this.direction === 'min' ? Infinity : -Infinity;
  }
  /** The monitored value, or a ConfigError listing what the logs do hold. */
  read(logs: Record<string, number>): number {
    const v = logs[this.key];
    if (v === undefined) {
      const hint = this.key.startsWith('val_') ? ' (pass validationData or validationSplit to fit)' : '';
      throw new ConfigError('monitor', `${this.owner}: '${this.key}' is not in the epoch logs (${Object.keys(logs).join(', ')})${hint}.`);
    }
    return v;
  }
  /** True when `v` beats the best by more than minDelta. */
  improves(v: number): boolean {
    if (Number.isNaN(v)) return false;
    return this.direction === 'min' ? v < this.best - this.minDelta : v > this.best + this.minDelta;
  }
}
