// One layer applied to every step of a sequence, with the same weights at each step.
import {
  Layer,
  layerFromConfig,
  type ApplyOptions,
  type LayerArgs,
  type LayerConfig,
  type LayerInputShape,
  type Shape,
} from '@nutshell/layers';
import { ShapeError, tf, type Tensor } from '@nutshell/tensor';

/** Arguments of {@link TimeDistributed}. @public */
export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied at every step (or its config). */
  readonly layer: Layer | LayerConfig;
}

/**
 * Applies a layer to every step of `[batch, steps, ...]` inputs, sharing its weights across the steps (Keras'
 * `TimeDistributed`): the steps are folded into the batch (`[batch·steps, ...]`), the layer runs once, and the
 * result is unfolded to `[batch, steps, ...]`. So a `Dense` or a convolution reads each step on its own, as in a
 * per-frame feature extractor before an LSTM. A padding mask passes through unchanged.
 *
 * The wrapped layer is a sub-layer: its weights are named `time_distributed/layer/kernel`.
 *
 * @example
 * ```ts
 * const perStep = new TimeDistributed({ layer: new Dense({ units: 8, activation: 'relu' }) });
 * perStep.apply(tf.zeros([2, 10, 4])).shape; // [2, 10, 8]
 * ```
 * @public
 */
export class TimeDistributed extends Layer {
  readonly className: string = 'TimeDistributed';
  /** The wrapped layer. */
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    this.layer = args.layer instanceof Layer ? args.layer : layerFromConfig(args.layer);
  }

  private get label(): string {
    return `${this.className} '${this.name}'`;
  }

  // The input shape with the steps folded into the batch.
  private folded(inputShape: LayerInputShape): Shape {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (x.length < 3)
      throw new ShapeError(
        this.label,
        'rank ≥ 3 [batch, steps, ...]',
        x as number[],
        'the layer is applied to each step of a sequence',
      );
    if (x[1] === 0)
      throw new ShapeError(this.label, '[?, steps ≥ 1, ...]', x as number[], 'an empty sequence');
    return [x[0] != null && x[1] != null ? x[0] * x[1] : null, ...x.slice(2)];
  }

  override build(inputShape: LayerInputShape): void {
    const f = this.folded(inputShape);
    this.layer.ensureBuilt([null, ...f.slice(1)]);
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inner = this.layer.computeOutputShape(this.folded(inputShape));
    return [x[0], x[1], ...inner.slice(1)];
  }

  call(inputs: Tensor | Tensor[], opts: ApplyOptions): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [batch, steps] = x.shape;
    const y = this.layer.apply(tf.reshape(x, [batch * steps, ...x.shape.slice(2)]), {
      training: opts.training,
    });
    return tf.reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), layer: this.layer.getConfig() };
  }
}
