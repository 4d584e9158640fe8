import { tf } from '@nutshell/tensor';
import type { Tensor, Variable } from '@nutshell/tensor';
import { Optimizer, positive } from './optimizer.js';
import type { OptimizerConfig } from './optimizer.js';

/** Adagrad's settings. @public */
export interface AdagradConfig extends OptimizerConfig {
  /** Added to the root of the accumulated squares (default 1e-10). */
  readonly epsilon?: number;
}

/**
 * Adagrad: each weight's step shrinks with the sum of its squared gradients so far,
 * s ← s + g², w ← w − lr·g / (√s + ε). Good for sparse features. Default learning rate 0.01.
 * @public
 */
export class Adagrad extends Optimizer {
  /** The class name stored in optimizer state. */
  readonly className = 'Adagrad';
  /** Added to the denominator. */
  readonly epsilon: number;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(config: AdagradConfig = {}) {
    super(config, 0.01);
    this.epsilon = config.epsilon ?? 1e-10;
    positive('epsilon', this.epsilon);
  }

  /** The per-weight state this rule keeps. */
  protected slotNames(): readonly string[] {
    return ['sumSquares'];
  }

  /** Applies the update rule described above to one weight. */
  protected update(w: Variable, g: Tensor, slots: readonly Variable[], lr: number): void {
    const s = slots[0];
    const sum = tf.add(s, tf.square(g));
    s.assign(sum);
    w.assign(tf.sub(w, tf.div(tf.mul(g, this.lrTensor(lr)), tf.add(tf.sqrt(sum), this.constant(this.epsilon)))));
  }
}
