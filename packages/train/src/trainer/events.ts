/** Training has begun. @public */
export interface FitStartEvent {
  readonly type: 'fitStart';
  /** Total epochs of the run. */
  readonly epochs: number;
  /** Batches per epoch. */
  readonly stepsPerEpoch: number;
  /** Training samples (after any validation split). */
  readonly samples: number;
  /** The epoch and step training starts from (non-zero when resuming a checkpoint). */
  readonly initialEpoch: number;
  /** Updates already made (non-zero when resuming). */
  readonly initialStep: number;
}
/** An epoch begins. @public */
export interface EpochStartEvent {
  readonly type: 'epochStart';
  /** 0-based. */
  readonly epoch: number;
}
/** A batch is about to be trained on. @public */
export interface BatchStartEvent {
  readonly type: 'batchStart';
  readonly epoch: number;
  /** Batch index within the epoch. */
  readonly batch: number;
  /** Updates made before this batch. */
  readonly step: number;
}
/**
 * A batch was trained on. `loss` and `metrics` are that batch's values; `samplesPerSec` is the epoch's running
 * throughput; `gradNorms` (L2 norm of each weight's gradient, by weight name) is present when gradient norms are
 * tracked. With `eventLag: 1` (the default on WebGPU) the event is emitted after the next batch has been queued.
 * @public
 */
export interface BatchEndEvent {
  readonly type: 'batchEnd';
  readonly epoch: number;
  /** Batch index within the epoch. */
  readonly batch: number;
  /** The 0-based number of this update. */
  readonly step: number;
  /** Samples in the batch. */
  readonly size: number;
  /** The batch's loss (weighted by class weights, plus regularization). */
  readonly loss: number;
  /** The batch's metrics, by name. */
  readonly metrics: Record<string, number>;
  /** Samples trained per second so far this epoch. */
  readonly samplesPerSec: number;
  /** The learning rate this batch was trained with. */
  readonly lr: number;
  /** L2 norm of each weight's gradient, by weight name (when tracked). */
  readonly gradNorms?: Record<string, number>;
}
/** An epoch ended: `logs` holds `loss`, each metric, and `val_`-prefixed values when validating. @public */
export interface EpochEndEvent {
  readonly type: 'epochEnd';
  readonly epoch: number;
  /** Epoch means: `loss`, metrics, and `val_` values. */
  readonly logs: Record<string, number>;
  /** The learning rate at the end of the epoch. */
  readonly lr: number;
  /** Wall time of the epoch, validation included. */
  readonly seconds: number;
}
/** A checkpoint of the run was written. @public */
export interface CheckpointEvent {
  readonly type: 'checkpoint';
  /** Updates made when it was written. */
  readonly step: number;
  readonly epoch: number;
  /** Where it was written. */
  readonly location: string;
}
/** Something went wrong that training recovered from (e.g. a corrupt checkpoint was skipped). @public */
export interface WarningEvent {
  readonly type: 'warning';
  /** What happened and what was done instead. */
  readonly message: string;
}
/** Training ended (normally, or stopped by a callback). @public */
export interface FitEndEvent {
  readonly type: 'fitEnd';
  /** What the fit did. */
  readonly history: History;
}

/** Every event the Trainer emits. @public */
export type TrainerEvent =
  | FitStartEvent
  | EpochStartEvent
  | BatchStartEvent
  | BatchEndEvent
  | EpochEndEvent
  | CheckpointEvent
  | WarningEvent
  | FitEndEvent;

/** The event of a given type. @public */
export type TrainerEventOf<T extends TrainerEvent['type']> = Extract<TrainerEvent, { type: T }>;

/**
 * What a fit did: `epochs` lists the epoch numbers (0-based) and `logs[name][i]` the value of `name` after
 * `epochs[i]`. `stopped` says why training ended early, when it did.
 * @public
 */
export interface History {
  /** The epochs completed, 0-based. */
  epochs: number[];
  /** Per logged value, one entry per completed epoch. */
  logs: Record<string, number[]>;
  /** Set when a callback stopped training. */
  stopped?: { epoch: number; step: number; reason: string };
}
