import { maxout } from '@nutshell/activations';
import { NutshellError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { Layer, type ApplyOptions, type LayerArgs, type LayerConfig } from '../layer.js';
import { getInitializer, initializers, serializeInitializer, type Initializer, type InitializerSpec } from '../initializers.js';
import { shapeError, type LayerInputShape, type Shape } from '../shape.js';

/** Arguments of {@link Maxout}. @public */
export interface MaxoutArgs extends LayerArgs {
  /** Number of maxout units (output width). */
  readonly units: number;
  /** Linear pieces per unit (k), at least 2. */
  readonly pieces: number;
  /** Default glorotUniform (seeded with `seed`). */
  readonly kernelInitializer?: InitializerSpec;
  /** Whether each piece has a bias (default true). */
  readonly useBias?: boolean;
  /** Seed for the default kernel initializer. */
  readonly seed?: number;
}

/**
 * A layer of maxout units (Goodfellow et al. 2013): each unit computes `pieces` affine functions of the input
 * and outputs the largest, hᵢ(x) = maxⱼ (x·W₍ᵢⱼ₎ + b₍ᵢⱼ₎). A unit is thus a learnt convex piecewise-linear
 * function, more expressive than one fixed activation. Kernel shape: [inputWidth, units·pieces], unit-major.
 * @public
 */
export class Maxout extends Layer {
  readonly className: string = 'Maxout';
  /** Output width. */
  readonly units: number;
  /** Pieces per unit. */
  readonly pieces: number;
  /** Whether pieces have biases. */
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private kernel?: Variable;
  private bias?: Variable;

  constructor(args: MaxoutArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1 || !Number.isInteger(args.pieces) || args.pieces < 2) {
      throw new NutshellError(`Maxout '${this.name}': units must be >= 1 and pieces >= 2 (integers), got units ${args.units}, pieces ${args.pieces}.`);
    }
    this.units = args.units;
    this.pieces = args.pieces;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? initializers.glorotUniform({ seed: args.seed }));
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    const op = `Maxout '${this.name}'`;
    if (shape.length !== 2 || shape[1] == null) throw shapeError(op, '[batch, features]', shape);
    const built = this.kernel?.shape[0];
    if (built !== undefined && shape[1] !== built) throw shapeError(op, [null, built], shape, `input width ${shape[1]}, the kernel expects ${built}`);
    return [shape[0], this.units];
  }

  override build(inputShape: LayerInputShape): void {
    const width = (inputShape as Shape)[1] as number;
    this.kernel = this.addWeight('kernel', [width, this.units * this.pieces], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units * this.pieces], 'zeros');
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    let z = tf.matMul(inputs as Tensor, this.kernel!);
    if (this.bias) z = tf.add(z, this.bias);
    return maxout(z, this.pieces);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), units: this.units, pieces: this.pieces, useBias: this.useBias, kernelInitializer: serializeInitializer(this.kernelInitializer) };
  }
}
