import { tf } from '@nutshell/tensor';
import type { Tensor, Variable } from '@nutshell/tensor';
import { SGD_UPDATE, runFusedUpdate } from '@nutshell/backend';
import { Optimizer, fraction } from './optimizer.js';
import type { OptimizerConfig } from './optimizer.js';

/** SGD's settings. @public */
export interface SgdConfig extends OptimizerConfig {
  /** Momentum μ in [0, 1); 0 (default) is plain gradient descent. */
  readonly momentum?: number;
  /** Nesterov's look-ahead form of momentum (needs momentum above 0). */
  readonly nesterov?: boolean;
}

/**
 * Stochastic gradient descent: w ← w − lr·g. With momentum μ it keeps a velocity v ← μ·v + g and steps
 * w ← w − lr·v; with Nesterov momentum it steps w ← w − lr·(g + μ·v) (PyTorch's convention, so a change of
 * learning rate takes effect at once). Default learning rate 0.01.
 * @public
 */
export class SGD extends Optimizer {
  /** The class name stored in optimizer state. */
  readonly className = 'SGD';
  /** Momentum μ. */
  readonly momentum: number;
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(config: SgdConfig = {}) {
    super(config, 0.01);
    this.momentum = config.momentum ?? 0;
    fraction('momentum', this.momentum);
    this.nesterov = config.nesterov ?? false;
  }

  /** The per-weight state this rule keeps. */
  protected slotNames(): readonly string[] {
    return this.momentum > 0 ? ['velocity'] : [];
  }

  /** Applies the update rule described above to one weight: one fused kernel where the backend has it. */
  protected update(w: Variable, g: Tensor, slots: readonly Variable[], lr: number): void {
    // One fused kernel where the backend has it (the same numbers, bit for bit).
    const attrs = { learningRate: lr, momentum: this.momentum, nesterov: this.nesterov };
    const fused = runFusedUpdate(
      SGD_UPDATE,
      this.momentum === 0 ? { w, g } : { w, g, velocity: slots[0] },
      attrs,
    );
    if (fused) {
      w.assign(fused[0]);
      if (this.momentum !== 0) slots[0].assign(fused[1]);
      return;
    }
    if (this.momentum === 0) {
      w.assign(tf.sub(w, tf.mul(g, this.lrTensor(lr))));
      return;
    }
    const v = slots[0];
    const mu = this.constant(this.momentum);
    const velocity = tf.add(tf.mul(v, mu), g);
    v.assign(velocity);
    const step = this.nesterov ? tf.add(g, tf.mul(velocity, mu)) : velocity;
    w.assign(tf.sub(w, tf.mul(step, this.lrTensor(lr))));
  }
}

/**
 * SGD with momentum (μ = 0.9 unless given): `new SGD({ momentum })`.
 * @public
 */
export function momentum(config: Omit<SgdConfig, 'nesterov'> = {}): SGD {
  return new SGD({ momentum: 0.9, ...config });
}

/**
 * SGD with Nesterov momentum (μ = 0.9 unless given).
 * @public
 */
export function nesterov(config: Omit<SgdConfig, 'nesterov'> = {}): SGD {
  return new SGD({ momentum: 0.9, ...config, nesterov: true });
}
