import { canonicalActivationName, getActivation } from '@nutshell/activations';
import { NutshellError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { Layer, type ApplyOptions, type LayerArgs, type LayerConfig } from '../layer.js';
import {
  getInitializer,
  initializers,
  serializeInitializer,
  type Initializer,
  type InitializerSpec,
} from '../initializers.js';
import { getRegularizer, type Regularizer, type RegularizerSpec } from '../regularizers.js';
import { shapeError, type LayerInputShape, type Shape } from '../shape.js';
import { denseProduct } from './denseProduct.js';

/** Arguments of {@link Dense}. @public */
export interface DenseArgs extends LayerArgs {
  /** Number of units (output width). */
  readonly units: number;
  /** An activation name from `@nutshell/activations` (default `'linear'`: none). */
  readonly activation?: string;
  /** Whether to add a bias (default true). */
  readonly useBias?: boolean;
  /** Default glorotUniform (seeded with `seed` when given). */
  readonly kernelInitializer?: InitializerSpec;
  /** Default zeros. */
  readonly biasInitializer?: InitializerSpec;
  /** A penalty on the kernel, added to `regularizationLoss()`. */
  readonly kernelRegularizer?: RegularizerSpec;
  /** A penalty on the bias. */
  readonly biasRegularizer?: RegularizerSpec;
  /** Seed for the default kernel initializer. */
  readonly seed?: number;
}

/**
 * A fully connected layer: every output unit is a weighted sum of every input plus a bias, passed through an
 * activation: y = activation(x·W + b), with W of shape [inputWidth, units]. Inputs of rank above 2 are
 * transformed along their last axis.
 * @public
 */
export class Dense extends Layer {
  readonly className: string = 'Dense';
  /** Output width. */
  readonly units: number;
  /** The canonical activation name. */
  readonly activation: string;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly kernelRegularizer?: Regularizer;
  private readonly biasRegularizer?: Regularizer;
  private kernel?: Variable;
  private bias?: Variable;

  constructor(args: DenseArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new NutshellError(`Dense '${this.name}': units must be a positive integer, got ${args.units}.`);
    }
    this.units = args.units;
    this.activation = canonicalActivationName(args.activation ?? 'linear');
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(
      args.kernelInitializer ?? initializers.glorotUniform({ seed: args.seed }),
    );
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = args.kernelRegularizer ? getRegularizer(args.kernelRegularizer) : undefined;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : undefined;
  }

  /** The input width the kernel was built for (undefined before building). */
  get inputWidth(): number | undefined {
    return this.kernel?.shape[0];
  }

  override build(inputShape: LayerInputShape): void {
    const shape = inputShape as Shape;
    const width = shape[shape.length - 1] as number;
    this.kernel = this.addWeight('kernel', [width, this.units], this.kernelInitializer, {
      regularizer: this.kernelRegularizer,
    });
    if (this.useBias)
      this.bias = this.addWeight('bias', [this.units], this.biasInitializer, {
        regularizer: this.biasRegularizer,
      });
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    const op = `Dense '${this.name}'`;
    if (shape.length < 2) throw shapeError(op, '[batch, features] (rank >= 2)', shape);
    const width = shape[shape.length - 1];
    if (width == null) throw shapeError(op, 'a known last dimension', shape);
    const expected = this.inputWidth;
    if (expected !== undefined && width !== expected) {
      throw shapeError(
        op,
        [...shape.slice(0, -1).map(() => null), expected],
        shape,
        `input width ${width}, the kernel expects ${expected}`,
      );
    }
    return [...shape.slice(0, -1), this.units];
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const x = inputs as Tensor;
    const flat = x.rank === 2 ? x : tf.reshape(x, [-1, x.shape[x.rank - 1]]);
    let y = this.bias ? denseProduct(flat, this.kernel!, this.bias) : undefined;
    if (!y) {
      y = tf.matMul(flat, this.kernel!);
      if (this.bias) y = tf.add(y, this.bias);
    }
    if (x.rank !== 2) y = tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
    return this.activation === 'linear' ? y : getActivation(this.activation)(y);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      ...(this.kernelRegularizer
        ? {
            kernelRegularizer: {
              className: this.kernelRegularizer.className,
              config: { ...this.kernelRegularizer.config },
            },
          }
        : {}),
      ...(this.biasRegularizer
        ? {
            biasRegularizer: {
              className: this.biasRegularizer.className,
              config: { ...this.biasRegularizer.config },
            },
          }
        : {}),
    };
  }
}
