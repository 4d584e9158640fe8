import { ConfigError } from '../errors.js';
import type { Callback } from '../callbacks/callback.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { openStore } from '../checkpoint/store.js';
import type { CheckpointStore } from '../checkpoint/store.js';
import { writeRunCheckpoint } from '../checkpoint/runCheckpoint.js';
import type { RunProgress } from '../checkpoint/runCheckpoint.js';
import type { TrainableModel } from './model.js';
import type { CheckpointOptions, FitOptions } from './Trainer.js';

/**
 * When and where a fit writes run checkpoints: every `everySteps` updates within an epoch, and at the end of
 * every epoch, keeping the newest `keep`. Without a `checkpoint` option, a resumed run goes on checkpointing into
 * the store it resumed from (every 100 steps, keeping 2); a fresh run writes none.
 */
export class CheckpointCadence {
  private constructor(
    private readonly store: CheckpointStore,
    /** Updates between mid-epoch checkpoints. */
    readonly everySteps: number,
    private readonly keep: number,
  ) {}

  /** The cadence for these options, or undefined when the fit writes no checkpoints. Bad numbers are `ConfigError`s. */
  static async plan(
    opt: FitOptions['checkpoint'],
    resumeStore: CheckpointStore | undefined,
  ): Promise<CheckpointCadence | undefined> {
    if (opt === undefined) return resumeStore ? new CheckpointCadence(resumeStore, 100, 2) : undefined;
    const o: CheckpointOptions = typeof opt === 'string' || isStore(opt) ? { to: opt } : opt;
    const everySteps = o.everySteps ?? 100;
    const keep = o.keep ?? 2;
    if (!Number.isInteger(everySteps) || everySteps <= 0)
      throw new ConfigError(
        'checkpoint.everySteps',
        `fit: checkpoint.everySteps must be a positive integer, got ${everySteps}.`,
      );
    if (!Number.isInteger(keep) || keep <= 0)
      throw new ConfigError(
        'checkpoint.keep',
        `fit: checkpoint.keep must be a positive integer, got ${keep}.`,
      );
    return new CheckpointCadence(await openStore(o.to), everySteps, keep);
  }

  /** Whether a mid-epoch checkpoint is due after `step` updates; never after an epoch's last batch (its end writes one). */
  dueAfter(step: number, batch: number, steps: number): boolean {
    return step % this.everySteps === 0 && batch + 1 < steps;
  }

  /** Writes one checkpoint (atomically) and drops the oldest beyond `keep`; returns where it went. */
  write(
    run: { model: TrainableModel; optimizer: Optimizer; callbacks: readonly Callback[] },
    state: RunProgress,
  ): Promise<string> {
    return writeRunCheckpoint(this.store, this.keep, { ...run, state });
  }
}

function isStore(x: unknown): x is CheckpointStore {
  return typeof x === 'object' && x !== null && typeof (x as CheckpointStore).write === 'function';
}
