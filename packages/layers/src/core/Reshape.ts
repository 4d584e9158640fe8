import { NutshellError, tf, type Tensor } from '@nutshell/tensor';
import { Layer, type ApplyOptions, type LayerArgs, type LayerConfig } from '../layer.js';
import { knownSize, shapeError, type LayerInputShape, type Shape } from '../shape.js';

/** Arguments of {@link Reshape}. @public */
export interface ReshapeArgs extends LayerArgs {
  /** The new shape of each example, without the batch dimension; one entry may be −1 (inferred). */
  readonly targetShape: readonly number[];
}

/**
 * Reshapes each example to `targetShape` (the batch dimension is kept). The number of elements must match.
 * @public
 */
export class Reshape extends Layer {
  readonly className: string = 'Reshape';
  /** The target shape without the batch dimension. */
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    super(args);
    const t = [...args.targetShape];
    if (t.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1)) || t.filter((d) => d === -1).length > 1) {
      throw new NutshellError(`Reshape '${this.name}': targetShape must be positive integers with at most one -1, got [${t.join(', ')}].`);
    }
    this.targetShape = t;
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    const op = `Reshape '${this.name}'`;
    if (shape.length < 2) throw shapeError(op, 'rank >= 2 ([batch, ...features])', shape);
    const n = knownSize(shape.slice(1));
    if (n == null) throw shapeError(op, 'known non-batch dimensions', shape);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const out = this.targetShape.includes(-1) ? this.targetShape.map((d) => (d === -1 ? n / known : d)) : [...this.targetShape];
    if (this.targetShape.includes(-1) ? n % known !== 0 : n !== known) {
      throw shapeError(op, [null, ...this.targetShape.map((d) => (d === -1 ? null : d))], shape, `${n} elements per example cannot fill [${this.targetShape.join(', ')}]`);
    }
    return [shape[0], ...out];
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const x = inputs as Tensor;
    return tf.reshape(x, [x.shape[0], ...(this.computeOutputShape(x.shape).slice(1) as number[])]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}
