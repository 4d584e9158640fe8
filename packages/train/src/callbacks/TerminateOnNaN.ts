import type { Callback, TrainingContext } from './callback.js';
import type { BatchEndEvent } from '../trainer/events.js';

/**
 * Stops training at the first step whose loss or gradient is NaN or infinite, and says which: the step, the
 * loss, and the first weight (so the layer) whose gradient was not finite. The reason is in `history.stopped`
 * and in `reason`.
 * @public
 */
export class TerminateOnNaN implements Callback {
  /** It needs the gradient norms to name the weight at fault. */
  readonly needsGradientNorms = true;
  /** Why training was stopped, if it was. */
  reason: string | undefined;

  /** Checks the batch's loss and gradient norms. */
  onBatchEnd(e: BatchEndEvent, ctx: TrainingContext): void {
    if (this.reason !== undefined) return;
    const bad = Object.entries(e.gradNorms ?? {}).filter(([, v]) => !Number.isFinite(v));
    if (Number.isFinite(e.loss) && bad.length === 0) return;
    const where = bad.length
      ? ` The gradient of '${bad[0][0]}' (layer '${bad[0][0].split('/')[0]}') is ${bad[0][1]}${bad.length > 1 ? `, and ${bad.length - 1} more weight(s) too` : ''}.`
      : '';
    this.reason = `TerminateOnNaN: at step ${e.step} (epoch ${e.epoch}, batch ${e.batch}) the loss is ${e.loss}.${where}`;
    ctx.stop(this.reason);
  }
}
