/** Training has begun. @public */
export interface FitStartEvent {
  readonly type: 'fitStart';
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly samples: number;
  /** The epoch and step training starts from (non-zero when resuming a checkpoint). */
  readonly initialEpoch: number;
  readonly initialStep: number;
}
/** An epoch begins. @public */
export interface EpochStartEvent {
  readonly type: 'epochStart';
  readonly epoch: number;
}
/** A batch is about to be trained on. @public */
export interface BatchStartEvent {
  readonly type: 'batchStart';
  readonly epoch: number;
  readonly batch: number;
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
  readonly batch: number;
  readonly step: number;
  readonly size: number;
  readonly loss: number;
  readonly metrics: Record<string, number>;
  readonly samplesPerSec: number;
  readonly lr: number;
  readonly gradNorms?: Record<string, number>;
}
/** An epoch ended: `logs` holds `loss`, each metric, and `val_`-prefixed values when validating. @public */
export interface EpochEndEvent {
  readonly type: 'epochEnd';
  readonly epoch: number;
  readonly logs: Record<string, number>;
  readonly lr: number;
  readonly seconds: number;
}
/** A checkpoint of the run was written. @public */
export interface CheckpointEvent {
  readonly type: 'checkpoint';
  readonly step: number;
  readonly epoch: number;
  /** Where it was written. */
  readonly location: string;
}
/** Something went wrong that training recovered from (e.g. a corrupt checkpoint was skipped). @public */
export interface WarningEvent {
  readonly type: 'warning';
  readonly message: string;
}
/** Training ended (normally, or stopped by a callback). @public */
export interface FitEndEvent {
  readonly type: 'fitEnd';
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
  epochs: number[];
  logs: Record<string, number[]>;
  stopped?: { epoch: number; step: number; reason: string };
}
