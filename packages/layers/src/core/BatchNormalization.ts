import { NutshellError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { Layer, type ApplyOptions, type LayerArgs, type LayerConfig } from '../layer.js';
import { checkEpsilon } from './normalization.js';
import { shapeError, type LayerInputShape, type Shape } from '../shape.js';

/** Arguments of {@link BatchNormalization}. @public */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature (channel) axis, default −1. Statistics are taken over every other axis. */
  readonly axis?: number;
  /** Moving-average momentum, default 0.99. */
  readonly momentum?: number;
  /** Added to the variance before the square root, default 1e−3. */
  readonly epsilon?: number;
  /** Learn a shift β (default true). */
  readonly center?: boolean;
  /** Learn a scale γ (default true). */
  readonly scale?: boolean;
}

/**
 * Batch normalisation (Ioffe & Szegedy 2015): normalises each feature to zero mean and unit variance, then
 * scales by γ and shifts by β. In training it uses the batch's statistics (biased variance) and updates moving
 * averages: moving = momentum·moving + (1 − momentum)·batch. In inference it uses the moving averages, so one
 * example's output does not depend on the rest of its batch.
 * @public
 */
export class BatchNormalization extends Layer {
  readonly className: string = 'BatchNormalization';
  /** The feature axis as given. */
  readonly axis: number;
  /** Moving-average momentum. */
  readonly momentum: number;
  /** Variance epsilon. */
  readonly epsilon: number;
  /** Whether β is learnt. */
  readonly center: boolean;
  /** Whether γ is learnt. */
  readonly scale: boolean;
  private gamma?: Variable;
  private beta?: Variable;
  private movingMean?: Variable;
  private movingVariance?: Variable;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    const op = `BatchNormalization '${this.name}'`;
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new NutshellError(`${op}: axis must be an integer, got ${String(args.axis)}.`);
    this.momentum = args.momentum ?? 0.99;
    // momentum 1 freezes the moving statistics (fine-tuning); outside [0, 1] they diverge to Infinity/NaN.
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new NutshellError(`${op}: momentum must be a number in [0, 1], got ${String(args.momentum)}.`);
    }
    this.epsilon = checkEpsilon(op, args.epsilon);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
  }

  private featureAxis(rank: number): number {
    return this.axis < 0 ? this.axis + rank : this.axis;
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    const op = `BatchNormalization '${this.name}'`;
    const a = this.featureAxis(shape.length);
    if (shape.length < 2 || a < 1 || a >= shape.length) throw shapeError(op, `rank >= 2 with feature axis ${this.axis}`, shape);
    if (shape[a] == null) throw shapeError(op, `a known size on axis ${this.axis}`, shape);
    const built = this.movingMean?.shape[0];
    if (built !== undefined && shape[a] !== built) throw shapeError(op, `${built} features on axis ${this.axis}`, shape);
    return [...shape];
  }

  override build(inputShape: LayerInputShape): void {
    const shape = inputShape as Shape;
    const n = shape[this.featureAxis(shape.length)] as number;
    if (this.scale) this.gamma = this.addWeight('gamma', [n], 'ones');
    if (this.center) this.beta = this.addWeight('beta', [n], 'zeros');
    this.movingMean = this.addWeight('moving_mean', [n], 'zeros', { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', [n], 'ones', { trainable: false });
  }

  call(inputs: Tensor | Tensor[], opts: ApplyOptions): Tensor {
    const x = inputs as Tensor;
    const a = this.featureAxis(x.rank);
    const reduce = [...Array(x.rank).keys()].filter((i) => i !== a);
    const bshape = x.shape.map((d, i) => (i === a ? d : 1));
    let mean: Tensor;
    let variance: Tensor;
    if (opts.training) {
      const m = tf.moments(x, reduce);
      mean = tf.reshape(m.mean, bshape);
      variance = tf.reshape(m.variance, bshape);
      const mom = this.momentum;
      this.movingMean!.assign(tf.add(tf.mul(this.movingMean!, mom), tf.mul(m.mean, 1 - mom)));
      this.movingVariance!.assign(tf.add(tf.mul(this.movingVariance!, mom), tf.mul(m.variance, 1 - mom)));
    } else {
      mean = tf.reshape(this.movingMean!, bshape);
      variance = tf.reshape(this.movingVariance!, bshape);
    }
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
    if (this.gamma) y = tf.mul(y, tf.reshape(this.gamma, bshape));
    if (this.beta) y = tf.add(y, tf.reshape(this.beta, bshape));
    return y;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis, momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}
