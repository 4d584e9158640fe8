import { ShapeError, tf } from '@nutshell/tensor';
import type { Tensor, Variable } from '@nutshell/tensor';
import { ConfigError } from '../errors.js';

/** A variable to train and the name it is known by (e.g. `'dense_1/kernel'`); slots and state are keyed by it. @public */
export interface NamedVariable {
  /** The weight's name. */
  readonly name: string;
  /** The weight. */
  readonly variable: Variable;
}

/** What every optimizer is configured with. @public */
export interface OptimizerConfig {
  /** Step size (default differs per optimizer). */
  readonly learningRate?: number;
  /** Clip every gradient element to [−clipValue, clipValue] before the update. */
  readonly clipValue?: number;
  /** Scale all gradients together so that their global L2 norm is at most this. */
  readonly clipGlobalNorm?: number;
}

/**
 * An optimizer's complete state: enough to continue exactly where it stopped. `slots` holds copies of its
 * per-weight tensors, keyed `'<weight name>/<slot>'` (e.g. `'dense_1/kernel/m'`); the caller owns them.
 * @public
 */
export interface OptimizerState {
  /** The optimizer's class name. */
  readonly className: string;
  /** Updates applied. */
  readonly iterations: number;
  /** The current learning rate. */
  readonly learningRate: number;
  /** Copies of the per-weight state tensors, keyed `'<weight>/<slot>'`. */
  readonly slots: Record<string, Tensor>;
}

/**
 * The base of every optimizer: an update rule applied to each weight with its gradient, plus the per-weight
 * state ("slots", e.g. Adam's moment estimates), gradient clipping and state save/restore.
 * A subclass names its slots and writes `update`, which makes plain tensor ops and assigns the results;
 * `applyGradients` runs all updates of one step in one `tf.tidy`.
 * @public
 */
export abstract class Optimizer {
  /** The step size used by the next update. Callbacks and schedules change it between steps. */
  learningRate: number;
  /** Updates applied so far (Adam's bias correction uses it). */
  iterations = 0;
  /** Elementwise clip, if set. */
  readonly clipValue: number | undefined;
  /** Global-norm clip, if set. */
  readonly clipGlobalNorm: number | undefined;
  /** The class name, stored in state so that a state is not loaded into another kind of optimizer. */
  abstract readonly className: string;

  private readonly slotMap = new Map<string, Variable[]>();
  private readonly constants = new Map<number, Tensor>();
  private lrValue = NaN;
  private lrScalar: Tensor | undefined;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(config: OptimizerConfig, defaultLearningRate: number) {
    this.learningRate = config.learningRate ?? defaultLearningRate;
    positive('learningRate', this.learningRate, true);
    if (config.clipValue !== undefined) positive('clipValue', config.clipValue);
    if (config.clipGlobalNorm !== undefined) positive('clipGlobalNorm', config.clipGlobalNorm);
    this.clipValue = config.clipValue;
    this.clipGlobalNorm = config.clipGlobalNorm;
  }

  /** The per-weight state tensors this optimizer keeps, by name (`[]` for plain SGD). */
  protected abstract slotNames(): readonly string[];

  /**
   * Updates one weight in place (`w.assign(...)`, and each slot's `assign`). Runs inside the step's tidy.
   * `t` is the 1-based iteration number of this step; `lr` the learning rate of this step.
   */
  protected abstract update(w: Variable, g: Tensor, slots: readonly Variable[], lr: number, t: number): void;

  /**
   * Called once per step, inside the step's tidy, before the per-weight updates: a place to make the tensors
   * every weight's update shares (Adam's bias-corrected step size), so they are made once, not once per weight.
   */
  protected beginStep(_lr: number, _t: number): void {}

  /** A scalar constant kept for the optimizer's life, so a step does not upload the same number again. */
  protected constant(value: number): Tensor {
    let c = this.constants.get(value);
    if (!c) {
      c = tf.keep(tf.scalar(value));
      this.constants.set(value, c);
    }
    return c;
  }

  /**
   * The learning rate as a scalar tensor, re-made only when the rate changes (schedules change it often, so it
   * is not cached with the constants).
   */
  protected lrTensor(lr: number): Tensor {
    if (lr !== this.lrValue || !this.lrScalar) {
      this.lrScalar?.dispose();
      this.lrScalar = tf.keep(tf.scalar(lr));
      this.lrValue = lr;
    }
    return this.lrScalar;
  }

  /** Creates the slots of these weights now (otherwise they are made at their first update). */
  prepare(weights: readonly NamedVariable[]): void {
    for (const w of weights) this.slotsOf(w);
  }

  private slotsOf(w: NamedVariable): Variable[] {
    let s = this.slotMap.get(w.name);
    if (!s) {
      s = this.slotNames().map(() => tf.tidy(() => tf.variable(tf.zeros(w.variable.shape, 'float32'), false)));
      this.slotMap.set(w.name, s);
    }
    return s;
  }

  /**
   * Applies one step: clips the gradients if configured, then updates every weight. `gradients[i]` belongs to
   * `weights[i]`; a missing (undefined) gradient leaves its weight alone. Disposes nothing it is given.
   */
  applyGradients(weights: readonly NamedVariable[], gradients: readonly (Tensor | undefined)[]): void {
    if (weights.length !== gradients.length) {
      throw new ConfigError('gradients', `${this.className}.applyGradients: ${weights.length} weights but ${gradients.length} gradients.`);
    }
    this.iterations++;
    const t = this.iterations;
    const lr = this.learningRate;
    tf.tidy(() => {
      let grads = gradients;
      if (this.clipValue !== undefined) {
        const c = this.clipValue;
        grads = grads.map((g) => (g ? tf.clipByValue(g, -c, c) : g));
      }
      if (this.clipGlobalNorm !== undefined) grads = clipByGlobalNorm(grads, this.clipGlobalNorm);
      this.beginStep(lr, t);
      for (let i = 0; i < weights.length; i++) {
        const g = grads[i];
        if (!g) continue;
        const w = weights[i];
        if (!sameShape(g.shape, w.variable.shape)) {
          throw new ShapeError(`${this.className} (${w.name})`, w.variable.shape, g.shape, 'the gradient must have the shape of its weight');
        }
        this.update(w.variable, g, this.slotsOf(w), lr, t);
      }
    });
  }

  /**
   * Computes the gradients of `lossFn` with respect to `weights` and applies one step. Returns the loss
   * (the caller owns it).
   */
  minimize(lossFn: () => Tensor, weights: readonly NamedVariable[]): Tensor {
    const { value, grads } = tf.variableGrads(lossFn as () => tf.Scalar, weights.map((w) => w.variable));
    try {
      this.applyGradients(weights, weights.map((w) => grads[w.variable.name]));
    } finally {
      tf.dispose(grads);
    }
    return value;
  }

  /** A copy of the complete state; the caller owns the slot tensors. */
  getState(): OptimizerState {
    const slots: Record<string, Tensor> = {};
    const names = this.slotNames();
    for (const [weight, vars] of this.slotMap) vars.forEach((v, i) => (slots[`${weight}/${names[i]}`] = tf.clone(v)));
    return { className: this.className, iterations: this.iterations, learningRate: this.learningRate, slots };
  }

  /**
   * Restores a state made by `getState` (of the same kind of optimizer). Slots are copied, so the caller still
   * owns the tensors it passed. A slot whose shape does not match its existing slot is a ShapeError.
   */
  setState(state: OptimizerState): void {
    if (state.className !== this.className) {
      throw new ConfigError('optimizer', `${this.className}.setState: the state is of a ${state.className} optimizer.`);
    }
    const names = this.slotNames();
    const byWeight = new Map<string, Tensor[]>();
    for (const [key, value] of Object.entries(state.slots)) {
      const cut = key.lastIndexOf('/');
      const weight = key.slice(0, cut);
      const index = names.indexOf(key.slice(cut + 1));
      if (cut < 0 || index < 0) throw new ConfigError('optimizer', `${this.className}.setState: unknown slot '${key}' (slots: ${names.join(', ')}).`);
      const list = byWeight.get(weight) ?? [];
      list[index] = value;
      byWeight.set(weight, list);
    }
    for (const [weight, values] of byWeight) {
      if (values.length !== names.length || values.some((v) => !v)) {
        throw new ConfigError('optimizer', `${this.className}.setState: weight '${weight}' needs slots ${names.join(', ')}.`);
      }
      let vars = this.slotMap.get(weight);
      if (!vars) {
        vars = values.map((v) => tf.tidy(() => tf.variable(tf.zeros(v.shape, 'float32'), false)));
        this.slotMap.set(weight, vars);
      }
      vars.forEach((v, i) => {
        if (!sameShape(v.shape, values[i].shape)) {
          throw new ShapeError(`${this.className}.setState (${weight}/${names[i]})`, v.shape, values[i].shape);
        }
        v.assign(values[i]);
      });
    }
    this.iterations = state.iterations;
    this.learningRate = state.learningRate;
  }

  /** Frees the slots and constants. */
  dispose(): void {
    for (const vars of this.slotMap.values()) vars.forEach((v) => v.dispose());
    this.slotMap.clear();
    for (const c of this.constants.values()) c.dispose();
    this.constants.clear();
    this.lrScalar?.dispose();
    this.lrScalar = undefined;
  }
}

/**
 * Scales gradients together so that their global L2 norm √(Σ‖g‖²) is at most `maxNorm` (unchanged when it is
 * already smaller). Computed on the device: no read-back.
 * @public
 */
export function clipByGlobalNorm(gradients: readonly (Tensor | undefined)[], maxNorm: number): (Tensor | undefined)[] {
  const present = gradients.filter((g): g is Tensor => g !== undefined);
  if (present.length === 0) return [...gradients];
  const norm = tf.sqrt(tf.addN(present.map((g) => tf.sum(tf.square(g)))));
  const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
  return gradients.map((g) => (g ? tf.mul(g, scale) : g));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Throws a ConfigError unless `value` is a finite number > 0 (or ≥ 0 when `allowZero`). */
export function positive(option: string, value: number, allowZero = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ConfigError(option, `${option} must be a finite number ${allowZero ? '≥' : '>'} 0, got ${String(value)}.`);
  }
}

/** Throws a ConfigError unless 0 ≤ value < 1. */
export function fraction(option: string, value: number): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ConfigError(option, `${option} must be in [0, 1), got ${String(value)}.`);
  }
}
