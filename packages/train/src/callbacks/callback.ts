import type {
  BatchEndEvent,
  BatchStartEvent,
  CheckpointEvent,
  EpochEndEvent,
  EpochStartEvent,
  FitEndEvent,
  FitStartEvent,
  WarningEvent,
} from '../trainer/events.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { TrainableModel } from '../trainer/model.js';

/**
 * What a callback can reach while training runs: the model, the optimizer (to change its learning rate), and
 * a way to stop training after the current batch.
 * @public
 */
export interface TrainingContext {
  /** The model being trained. */
  readonly model: TrainableModel;
  /** Its optimizer; set `learningRate` to change the rate. */
  readonly optimizer: Optimizer;
  /** Stops training after the current batch; `reason` ends up in `history.stopped`. */
  stop(reason: string): void;
}

/**
 * A callback hooks into training. Every method is optional and may be async (the Trainer waits for it).
 * A callback with state that matters after a resume (a patience counter, a best value, saved weights)
 * implements `getState`/`setState` with JSON-serialisable values, in which `Float32Array`s and `Int32Array`s
 * may appear (they are stored as tensors); the state is saved in run checkpoints.
 * @public
 */
export interface Callback {
  /** Set to make the Trainer compute each weight's gradient norm (`gradNorms` in batch events). */
  readonly needsGradientNorms?: boolean;
  /** Before the first batch. */
  onFitStart?(event: FitStartEvent, ctx: TrainingContext): void | Promise<void>;
  /** Before each epoch. */
  onEpochStart?(event: EpochStartEvent, ctx: TrainingContext): void | Promise<void>;
  /** Before each batch (set the learning rate here). */
  onBatchStart?(event: BatchStartEvent, ctx: TrainingContext): void | Promise<void>;
  /** After each batch, with its loss and metrics. */
  onBatchEnd?(event: BatchEndEvent, ctx: TrainingContext): void | Promise<void>;
  /** After each epoch and its validation. */
  onEpochEnd?(event: EpochEndEvent, ctx: TrainingContext): void | Promise<void>;
  /** After a run checkpoint was written. */
  onCheckpoint?(event: CheckpointEvent, ctx: TrainingContext): void | Promise<void>;
  /** When training recovered from a problem (e.g. a corrupt checkpoint was skipped). */
  onWarning?(event: WarningEvent, ctx: TrainingContext): void | Promise<void>;
  /** After training, however it ended. */
  onFitEnd?(event: FitEndEvent, ctx: TrainingContext): void | Promise<void>;
  /** JSON-serialisable state to save in run checkpoints. */
  getState?(): unknown;
  /** Restores what `getState` returned. */
  setState?(state: unknown): void;
}
