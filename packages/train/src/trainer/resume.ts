import { Rng } from '@nutshell/tensor';
import { CheckpointError } from '../errors.js';
import type { Callback } from '../callbacks/callback.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { openStore } from '../checkpoint/store.js';
import type { CheckpointStore } from '../checkpoint/store.js';
import { applyRunState, latestRunCheckpoint } from '../checkpoint/runCheckpoint.js';
import type { RunState } from '../checkpoint/runCheckpoint.js';
import type { History } from './events.js';
import type { TrainableModel } from './model.js';

/** Where a fit starts: from scratch, or where a checkpointed run left off. */
export interface RunStart {
  /** The shuffling generator, seeded or restored. */
  readonly rng: Rng;
  /** The first epoch to run. */
  readonly epoch: number;
  /** Updates already made. */
  readonly step: number;
  /** The history so far. */
  readonly history: History;
  /** The checkpoint resumed from (its epoch's order and running sums continue a mid-epoch stop). */
  readonly resumed: RunState | undefined;
  /** The store resumed from (checkpoints go on being written there unless told otherwise). */
  readonly store: CheckpointStore | undefined;
}

/**
 * A fresh start from `seed`, or, with `resume`, the newest good checkpoint in that folder or store put back into
 * the model, the optimizer and the callbacks (a corrupt newer one is skipped with a warning). A checkpoint written
 * while training on another number of samples is a `CheckpointError`: the order it continues would be wrong.
 */
export async function startRun(
  resume: string | CheckpointStore | undefined,
  seed: number,
  samples: number,
  run: { model: TrainableModel; optimizer: Optimizer; callbacks: readonly Callback[] },
  warn: (message: string) => Promise<void>,
): Promise<RunStart> {
  if (resume === undefined)
    return {
      rng: new Rng(seed),
      epoch: 0,
      step: 0,
      history: { epochs: [], logs: {} },
      resumed: undefined,
      store: undefined,
    };
  const store = await openStore(resume);
  const found = await latestRunCheckpoint(store);
  for (const w of found.warnings) await warn(w);
  const state = found.state;
  if (state.order && state.order.length !== samples) {
    throw new CheckpointError(
      state.file,
      `Checkpoint ${state.file} was written while training on ${state.order.length} samples; this fit has ${samples}. Resume with the same data (and validation split).`,
    );
  }
  applyRunState(state, run.model, run.optimizer, run.callbacks);
  return {
    rng: Rng.fromState(state.rng),
    epoch: state.epoch,
    step: state.step,
    history: state.history,
    resumed: state,
    store,
  };
}
