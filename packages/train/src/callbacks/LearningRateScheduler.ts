import type { Callback, TrainingContext } from './callback.js';
import type { BatchStartEvent, EpochStartEvent } from '../trainer/events.js';
import type { Schedule } from '../schedules/schedule.js';
import { scheduledRate } from '../schedules/scheduledRate.js';

/**
 * Sets the optimizer's learning rate from a schedule before every step (`per: 'step'`, the default: the
 * schedule gets the global step) or every epoch (`per: 'epoch'`: it gets the epoch number). A rate that is NaN,
 * infinite or negative stops the fit with a `ConfigError` naming the step (see `scheduledRate`).
 * @public
 */
export class LearningRateScheduler implements Callback {
  /** Makes one with the given settings (see the class description for defaults). */
  constructor(
    private readonly schedule: Schedule,
    private readonly options: { per?: 'step' | 'epoch' } = {},
  ) {}

  /** Sets the rate for a per-epoch schedule. */
  onEpochStart(e: EpochStartEvent, ctx: TrainingContext): void {
    if (this.options.per === 'epoch') ctx.optimizer.learningRate = scheduledRate(this.schedule, e.epoch, 'epoch');
  }

  /** Sets the rate for a per-step schedule. */
  onBatchStart(e: BatchStartEvent, ctx: TrainingContext): void {
    if (this.options.per !== 'epoch') ctx.optimizer.learningRate = scheduledRate(this.schedule, e.step);
  }
}
