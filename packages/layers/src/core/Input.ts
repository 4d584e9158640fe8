import { NutshellError, tf, type Tensor } from '@nutshell/tensor';
import { Layer, type ApplyOptions, type LayerArgs, type LayerConfig } from '../layer.js';
import type { Shape } from '../shape.js';
import { SymbolicTensor } from '../symbolic.js';

/** Arguments of {@link InputLayer}. @public */
export interface InputLayerArgs extends LayerArgs {
  /** The shape of one example, without the batch dimension (e.g. `[28, 28, 1]`). */
  readonly inputShape: readonly (number | null)[];
}

/**
 * The entry point of a graph model: it has no weights and passes its input through. Use `input(shape)`.
 * @public
 */
export class InputLayer extends Layer {
  readonly className: string = 'InputLayer';
  /** The shape of one example (no batch dimension). */
  readonly inputShape: readonly (number | null)[];
  /** The symbolic tensor this layer stands for. */
  readonly output: SymbolicTensor;

  constructor(args: InputLayerArgs) {
    super(args);
    if (!Array.isArray(args.inputShape) || args.inputShape.some((d) => d != null && (!Number.isInteger(d) || d < 1))) {
      throw new NutshellError(`InputLayer '${this.name}': inputShape must be positive integers (or null), got ${JSON.stringify(args.inputShape)}.`);
    }
    this.inputShape = [...args.inputShape];
    const shape: Shape = [null, ...this.inputShape];
    this.ensureBuilt(shape);
    this.output = new SymbolicTensor(shape, this, [], false);
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    return tf.clone(inputs as Tensor);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), inputShape: [...this.inputShape] };
  }
}

/**
 * A symbolic input of a graph model: `input([784])` stands for a batch of 784-vectors.
 *
 * @example
 * ```ts
 * const x = input([4]);
 * const y = new Dense({ units: 3, activation: 'softmax' }).apply(x);
 * const model = new Model({ inputs: x, outputs: y });
 * ```
 * @public
 */
export function input(shape: readonly (number | null)[], opts: { name?: string } = {}): SymbolicTensor {
  return new InputLayer({ inputShape: shape, name: opts.name }).output;
}
