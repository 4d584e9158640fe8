import { tf } from '@nutshell/tensor';
import type { Tensor, Variable } from '@nutshell/tensor';
import { Optimizer, fraction, positive } from './optimizer.js';
import type { OptimizerConfig } from './optimizer.js';

/** Adam's settings. @public */
export interface AdamConfig extends OptimizerConfig {
  /** Decay of the first-moment (mean) estimate (default 0.9). */
  readonly beta1?: number;
  /** Decay of the second-moment (uncentred variance) estimate (default 0.999). */
  readonly beta2?: number;
  /** Added to the denominator (default 1e-8). */
  readonly epsilon?: number;
}

/**
 * Adam: momentum plus per-weight step sizes. m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ), w ← w − lr·m̂ / (√v̂ + ε). Default learning rate 0.001.
 * The bias corrections are computed in double precision from the step count, so a resumed run takes the same
 * steps as an uninterrupted one.
 * @public
 */
export class Adam extends Optimizer {
  /** The class name stored in optimizer state. */
  readonly className: string = 'Adam';
  /** First-moment decay. */
  readonly beta1: number;
  /** Second-moment decay. */
  readonly beta2: number;
  /** Added to the denominator. */
  readonly epsilon: number;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(config: AdamConfig = {}) {
    super(config, 0.001);
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.epsilon = config.epsilon ?? 1e-8;
    fraction('beta1', this.beta1);
    fraction('beta2', this.beta2);
    positive('epsilon', this.epsilon);
  }

  /** The per-weight state this rule keeps. */
  protected slotNames(): readonly string[] {
    return ['m', 'v'];
  }

  private stepSize: Tensor | undefined;
  private invRootCorrection: Tensor | undefined;

  /** Makes this step's two bias-correction scalars, shared by every weight. */
  protected override beginStep(lr: number, t: number): void {
    // lr·m̂/(√v̂ + ε) = (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε), the two scalars folded in float64.
    this.stepSize = tf.scalar(lr / (1 - this.beta1 ** t));
    this.invRootCorrection = tf.scalar(1 / Math.sqrt(1 - this.beta2 ** t));
  }

  /** Applies the update rule described above to one weight. */
  protected update(w: Variable, g: Tensor, slots: readonly Variable[]): void {
    const [m, v] = slots;
    const m1 = tf.add(tf.mul(m, this.constant(this.beta1)), tf.mul(g, this.constant(1 - this.beta1)));
    const v1 = tf.add(tf.mul(v, this.constant(this.beta2)), tf.mul(tf.square(g), this.constant(1 - this.beta2)));
    m.assign(m1);
    v.assign(v1);
    const denom = tf.add(tf.mul(tf.sqrt(v1), this.invRootCorrection!), this.constant(this.epsilon));
    w.assign(this.decay(w, tf.sub(w, tf.mul(tf.div(m1, denom), this.stepSize!))));
  }

  /** Hook for AdamW: the weight after the Adam step, before it is assigned. */
  protected decay(_w: Variable, updated: Tensor): Tensor {
    return updated;
  }
}

/** AdamW's settings. @public */
export interface AdamWConfig extends AdamConfig {
  /** Decoupled weight decay λ (default 0.01). */
  readonly weightDecay?: number;
}

/**
 * AdamW: Adam with decoupled weight decay, w ← w − lr·(m̂ / (√v̂ + ε) + λ·w), so the decay is not rescaled
 * by the adaptive step sizes (Loshchilov & Hutter). Default learning rate 0.001, λ = 0.01.
 * @public
 */
export class AdamW extends Adam {
  /** The class name stored in optimizer state. */
  override readonly className: string = 'AdamW';
  /** Decoupled weight decay λ. */
  readonly weightDecay: number;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(config: AdamWConfig = {}) {
    super(config);
    this.weightDecay = config.weightDecay ?? 0.01;
    positive('weightDecay', this.weightDecay, true);
  }

  private decayScalar: Tensor | undefined;

  /** Also makes this step's decay factor lr·λ. */
  protected override beginStep(lr: number, t: number): void {
    super.beginStep(lr, t);
    this.decayScalar = tf.scalar(lr * this.weightDecay);
  }

  /** Subtracts the decoupled decay lr·λ·w. */
  protected override decay(w: Variable, updated: Tensor): Tensor {
    return tf.sub(updated, tf.mul(w, this.decayScalar!));
  }
}
