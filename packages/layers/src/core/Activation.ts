import { canonicalActivationName, getActivation } from '@nutshell/activations';
import type { Tensor } from '@nutshell/tensor';
import { Layer, type ApplyOptions, type LayerArgs, type LayerConfig } from '../layer.js';

/** Arguments of {@link Activation}. @public */
export interface ActivationArgs extends LayerArgs {
  /** A name from `@nutshell/activations` (`'relu'`, `'softmax'`, ... or one added with `registerActivation`). */
  readonly activation: string;
}

/**
 * Applies an activation function element-wise (softmax: along the last axis). It has no weights.
 * @public
 */
export class Activation extends Layer {
  readonly className: string = 'Activation';
  /** The canonical activation name. */
  readonly activation: string;

  constructor(args: ActivationArgs) {
    super(args);
    this.activation = canonicalActivationName(args.activation);
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    return getActivation(this.activation)(inputs as Tensor);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: this.activation };
  }
}
