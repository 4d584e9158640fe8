import { tf, type Tensor, type Variable } from '@nutshell/tensor';
import { Layer, type ApplyOptions, type LayerArgs, type LayerConfig } from '../layer.js';
import { checkEpsilon } from './normalization.js';
import { shapeError, type LayerInputShape, type Shape } from '../shape.js';

/** Arguments of {@link LayerNormalization}. @public */
export interface LayerNormalizationArgs extends LayerArgs {
  /** Added to the variance, default 1e−3. */
  readonly epsilon?: number;
  /** Learn a shift β (default true). */
  readonly center?: boolean;
  /** Learn a scale γ (default true). */
  readonly scale?: boolean;
}

/**
 * Layer normalisation (Ba et al. 2016): normalises each example over its last axis to zero mean and unit
 * variance, then scales by γ and shifts by β (both per feature). Unlike batch normalisation it does not depend
 * on the batch, so training and inference compute the same thing.
 * @public
 */
export class LayerNormalization extends Layer {
  readonly className: string = 'LayerNormalization';
  /** Variance epsilon. */
  readonly epsilon: number;
  /** Whether β is learnt. */
  readonly center: boolean;
  /** Whether γ is learnt. */
  readonly scale: boolean;
  private gamma?: Variable;
  private beta?: Variable;
  private width?: number;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    this.epsilon = checkEpsilon(`LayerNormalization '${this.name}'`, args.epsilon);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    const op = `LayerNormalization '${this.name}'`;
    const last = shape[shape.length - 1];
    if (shape.length < 2 || last == null) throw shapeError(op, 'rank >= 2 with a known last dimension', shape);
    if (this.width !== undefined && last !== this.width) throw shapeError(op, `${this.width} features on the last axis`, shape);
    return [...shape];
  }

  override build(inputShape: LayerInputShape): void {
    const shape = inputShape as Shape;
    this.width = shape[shape.length - 1] as number;
    if (this.scale) this.gamma = this.addWeight('gamma', [this.width], 'ones');
    if (this.center) this.beta = this.addWeight('beta', [this.width], 'zeros');
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const x = inputs as Tensor;
    const { mean, variance } = tf.moments(x, -1, true);
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
    if (this.gamma) y = tf.mul(y, this.gamma);
    if (this.beta) y = tf.add(y, this.beta);
    return y;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}
