import { ConfigError } from '../errors.js';
import type { Schedule } from './schedule.js';

/**
 * The learning rate a schedule gives at `at` (a step, or an epoch for per-epoch schedules), refused with a
 * `ConfigError` naming the step when it is not a finite number ≥ 0: a NaN rate would turn every weight into NaN
 * and a negative one climb the loss, while training went on as if nothing were wrong.
 * @public
 */
export function scheduledRate(schedule: Schedule, at: number, unit: 'step' | 'epoch' = 'step'): number {
  const lr = schedule(at);
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new ConfigError(
      'schedule',
      `Learning-rate schedule returned ${String(lr)} at ${unit} ${at}; a learning rate must be a finite number ≥ 0. Training stopped.`,
    );
  }
  return lr;
}
