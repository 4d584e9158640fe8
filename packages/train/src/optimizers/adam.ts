import { tf } from '@nutshell/tensor';
import type { Tensor, Variable } from '@nutshell/tensor';
import { ADAM_UPDATE, runFusedUpdate } from '@nutshell/backend';
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

  private stepSize = 0;
  private invRootCorrection = 0;
  private stepSizeTensor: Tensor | undefined;
  private invRootCorrectionTensor: Tensor | undefined;

  /** Computes this step's two bias-correction factors, shared by every weight. */
  protected override beginStep(lr: number, t: number): void {
    // lr·m̂/(√v̂ + ε) = (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε), the two scalars folded in float64.
    this.stepSize = lr / (1 - this.beta1 ** t);
    this.invRootCorrection = 1 / Math.sqrt(1 - this.beta2 ** t);
    this.stepSizeTensor = undefined; // made by the first weight that needs them (none, where the update is fused)
    this.invRootCorrectionTensor = undefined;
  }

  /** Applies the update rule described above to one weight: one fused kernel where the backend has it. */
  protected update(w: Variable, g: Tensor, slots: readonly Variable[], lr: number): void {
    const [m, v] = slots;
    const decay = this.decoupledDecay(lr);
    if (decay !== undefined) {
      const attrs = {
        beta1: this.beta1,
        beta2: this.beta2,
        epsilon: this.epsilon,
        stepSize: this.stepSize,
        invRootCorrection: this.invRootCorrection,
        decay,
      };
      const fused = runFusedUpdate(ADAM_UPDATE, { w, g, m, v }, attrs);
      if (fused) {
        w.assign(fused[0]);
        m.assign(fused[1]);
        v.assign(fused[2]);
        return;
      }
    }
    this.stepSizeTensor ??= tf.scalar(this.stepSize);
    this.invRootCorrectionTensor ??= tf.scalar(this.invRootCorrection);
    const m1 = tf.add(tf.mul(m, this.constant(this.beta1)), tf.mul(g, this.constant(1 - this.beta1)));
    const v1 = tf.add(
      tf.mul(v, this.constant(this.beta2)),
      tf.mul(tf.square(g), this.constant(1 - this.beta2)),
    );
    m.assign(m1);
    v.assign(v1);
    const denom = tf.add(tf.mul(tf.sqrt(v1), this.invRootCorrectionTensor), this.constant(this.epsilon));
    w.assign(this.decay(w, tf.sub(w, tf.mul(tf.div(m1, denom), this.stepSizeTensor))));
  }

  /**
   * The fused kernel's decoupled decay lr·λ for this class's own `decay` (0 for Adam, lr·λ for AdamW), or
   * `undefined` when a subclass overrides `decay`, whose rule then runs as tensor ops.
   */
  private decoupledDecay(lr: number): number | undefined {
    if (this.decay === Adam.prototype.decay) return 0;
    if (this.decay === (AdamW.prototype as unknown as { decay: unknown }).decay)
      return lr * (this as unknown as AdamW).weightDecay;
    return undefined;
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

  private lrDecay = 0;
  private decayScalar: Tensor | undefined;

  /** Also computes this step's decay factor lr·λ. */
  protected override beginStep(lr: number, t: number): void {
    super.beginStep(lr, t);
    this.lrDecay = lr * this.weightDecay;
    this.decayScalar = undefined;
  }

  /** Subtracts the decoupled decay lr·λ·w (the tensor-op rule; the fused kernel does the same). */
  protected override decay(w: Variable, updated: Tensor): Tensor {
    this.decayScalar ??= tf.scalar(this.lrDecay);
    return tf.sub(updated, tf.mul(w, this.decayScalar));
  }
}
