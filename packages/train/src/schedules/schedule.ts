import { ConfigError } from '../errors.js';

/**
 * A learning-rate schedule: a pure function from the step number (0-based count of updates made so far) to the
 * learning rate for the next update. Usable on its own, or through the `LearningRateScheduler` callback.
 * @public
 */
export type Schedule = (step: number) => number;

/** Throws a ConfigError unless value > 0 (≥ 0 when allowZero), finite. */
export function check(schedule: string, option: string, value: number, allowZero = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ConfigError(option, `${schedule}: ${option} must be a finite number ${allowZero ? '≥' : '>'} 0, got ${String(value)}.`);
  }
}

/** Throws a ConfigError unless step is an integer ≥ 0. */
export function checkStep(schedule: string, step: number): void {
  if (!Number.isInteger(step) || step < 0) throw new ConfigError('step', `${schedule}: step must be an integer ≥ 0, got ${step}.`);
}

/**
 * Step decay: the rate is multiplied by `factor` every `dropEvery` steps, lr = initial·factor^⌊step/dropEvery⌋.
 * @public
 */
export function stepDecay(options: { initial: number; dropEvery: number; factor?: number }): Schedule {
  const { initial, dropEvery, factor = 0.1 } = options;
  check('stepDecay', 'initial', initial, true);
  check('stepDecay', 'dropEvery', dropEvery);
  check('stepDecay', 'factor', factor, true);
  return (step) => {
    checkStep('stepDecay', step);
    return initial * factor ** Math.floor(step / dropEvery);
  };
}

/**
 * Exponential decay: lr = initial·rate^(step/decaySteps), or with `staircase` rate^⌊step/decaySteps⌋.
 * @public
 */
export function exponentialDecay(options: { initial: number; decayRate: number; decaySteps: number; staircase?: boolean }): Schedule {
  const { initial, decayRate, decaySteps, staircase = false } = options;
  check('exponentialDecay', 'initial', initial, true);
  check('exponentialDecay', 'decayRate', decayRate);
  check('exponentialDecay', 'decaySteps', decaySteps);
  return (step) => {
    checkStep('exponentialDecay', step);
    const p = step / decaySteps;
    return initial * decayRate ** (staircase ? Math.floor(p) : p);
  };
}

/**
 * Cosine decay from `initial` to `minimum` over `decaySteps`: lr = min + ½(initial − min)(1 + cos(π·t/T)),
 * then `minimum`. With `restarts` (SGDR, Loshchilov & Hutter) the cosine starts again after each period; each
 * period is `periodMultiplier` times longer and its peak `peakMultiplier` times the previous one.
 * @public
 */
export function cosineDecay(options: {
  initial: number;
  decaySteps: number;
  minimum?: number;
  restarts?: boolean | { periodMultiplier?: number; peakMultiplier?: number };
}): Schedule {
  const { initial, decaySteps, minimum = 0 } = options;
  check('cosineDecay', 'initial', initial, true);
  check('cosineDecay', 'decaySteps', decaySteps);
  check('cosineDecay', 'minimum', minimum, true);
  const r = options.restarts === true ? {} : options.restarts || undefined;
  const tMul = r?.periodMultiplier ?? 1;
  const mMul = r?.peakMultiplier ?? 1;
  if (r) {
    check('cosineDecay', 'periodMultiplier', tMul);
    check('cosineDecay', 'peakMultiplier', mMul, true);
  }
  const cosine = (peak: number, t: number, period: number) =>
    minimum + 0.5 * (peak - minimum) * (1 + Math.cos((Math.PI * t) / period));
  return (step) => {
    checkStep('cosineDecay', step);
    if (!r) return step >= decaySteps ? minimum : cosine(initial, step, decaySteps);
    let period = decaySteps;
    let peak = initial;
    let t = step;
    while (t >= period) {
      t -= period;
      period *= tMul;
      peak *= mMul;
    }
    return cosine(peak, t, period);
  };
}

/**
 * Linear warm-up: the rate rises linearly from `start` (default 0) to `target` over `warmupSteps`
 * (lr = start + (target − start)·step/warmupSteps), then follows `after(step − warmupSteps)`, or stays at
 * `target` when no `after` is given.
 * @public
 */
export function linearWarmup(options: { target: number; warmupSteps: number; start?: number; after?: Schedule }): Schedule {
  const { target, warmupSteps, start = 0, after } = options;
  check('linearWarmup', 'target', target, true);
  check('linearWarmup', 'warmupSteps', warmupSteps, true);
  check('linearWarmup', 'start', start, true);
  return (step) => {
    checkStep('linearWarmup', step);
    if (step < warmupSteps) return start + ((target - start) * step) / warmupSteps;
    return after ? after(step - warmupSteps) : target;
  };
}

/**
 * The one-cycle policy (Smith; PyTorch's OneCycleLR with cosine annealing): the rate climbs from
 * max/`divFactor` to `max` over the first `pctStart` of `totalSteps`, then anneals to
 * max/(`divFactor`·`finalDivFactor`) by the last step.
 * @public
 */
export function oneCycle(options: { max: number; totalSteps: number; pctStart?: number; divFactor?: number; finalDivFactor?: number }): Schedule {
  const { max, totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = options;
  check('oneCycle', 'max', max, true);
  check('oneCycle', 'totalSteps', totalSteps);
  check('oneCycle', 'divFactor', divFactor);
  check('oneCycle', 'finalDivFactor', finalDivFactor);
  if (!(pctStart > 0 && pctStart < 1)) throw new ConfigError('pctStart', `oneCycle: pctStart must be in (0, 1), got ${pctStart}.`);
  const low = max / divFactor;
  const final = low / finalDivFactor;
  const peakStep = pctStart * totalSteps - 1;
  const lastStep = totalSteps - 1;
  const anneal = (from: number, to: number, pct: number) => to + ((from - to) / 2) * (1 + Math.cos(Math.PI * pct));
  return (step) => {
    checkStep('oneCycle', step);
    if (step <= peakStep) return anneal(low, max, peakStep <= 0 ? 1 : step / peakStep);
    if (step >= lastStep) return final;
    return anneal(max, final, (step - peakStep) / (lastStep - peakStep));
  };
}
