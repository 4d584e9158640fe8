import { tf } from '@nutshell/tensor';
import type { Tensor, Variable } from '@nutshell/tensor';
import { Optimizer, fraction, positive } from './optimizer.js';
import type { OptimizerConfig } from './optimizer.js';

/** RMSProp's settings. @public */
export interface RmspropConfig extends OptimizerConfig {
  /** Decay ρ of the running mean of squared gradients (default 0.9). */
  readonly rho?: number;
  /** Added to the root mean square (default 1e-7). */
  readonly epsilon?: number;
}

/**
 * RMSProp: divides each step by a running root mean square of recent gradients,
 * s ← ρ·s + (1 − ρ)·g², w ← w − lr·g / (√s + ε). Default learning rate 0.001.
 * @public
 */
export class RMSProp extends Optimizer {
  /** The class name stored in optimizer state. */
  readonly className = 'RMSProp';
  /** Decay of the mean square. */
  readonly rho: number;
  /** Added to the denominator. */
  readonly epsilon: number;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(config: RmspropConfig = {}) {
    super(config, 0.001);
    this.rho = config.rho ?? 0.9;
    this.epsilon = config.epsilon ?? 1e-7;
    fraction('rho', this.rho);
    positive('epsilon', this.epsilon);
  }

  /** The per-weight state this rule keeps. */
  protected slotNames(): readonly string[] {
    return ['meanSquare'];
  }

  /** Applies the update rule described above to one weight. */
  protected update(w: Variable, g: Tensor, slots: readonly Variable[], lr: number): void {
    const s = slots[0];
    const ms = tf.add(tf.mul(s, this.constant(this.rho)), tf.mul(tf.square(g), this.constant(1 - this.rho)));
    s.assign(ms);
    const step = tf.div(tf.mul(g, this.lrTensor(lr)), tf.add(tf.sqrt(ms), this.constant(this.epsilon)));
    w.assign(tf.sub(w, step));
  }
}
