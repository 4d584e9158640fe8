import type { Callback, TrainingContext } from './callback.js';
import type { BatchStartEvent, EpochStartEvent } from '../trainer/events.js';
import type { Schedule } from '../schedules/schedule.js';

/**
 * Sets the optimizer's learning rate from a schedule before every step (`per: 'step'`, the default: the
 * schedule gets the global step) or every epoch (`per: 'epoch'`: it gets the epoch number).
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
    if (this.options.per === 'epoch') ctx.optimizer.learningRate = this.schedule(e.epoch);
  }

  /** Sets the rate for a per-step schedule. */
  onBatchStart(e: BatchStartEvent, ctx: TrainingContext): void {
    if (this.options.per !== 'epoch') ctx.optimizer.learningRate = this.schedule(e.step);
  }
}
