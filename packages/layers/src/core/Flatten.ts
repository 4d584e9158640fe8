import { tf, type Tensor } from '@nutshell/tensor';
import { Layer, type ApplyOptions, type LayerArgs } from '../layer.js';
import { knownSize, shapeError, type LayerInputShape, type Shape } from '../shape.js';

/**
 * Flattens each example to a vector: `[batch, d1, d2, ...]` → `[batch, d1·d2·...]` (row-major, so `[b, h, w, c]`
 * keeps channels adjacent). Needs rank 2 or more and known non-batch dimensions.
 * @public
 */
export class Flatten extends Layer {
  readonly className: string = 'Flatten';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    const op = `Flatten '${this.name}'`;
    if (shape.length < 2) throw shapeError(op, 'rank >= 2 ([batch, ...features])', shape);
    const n = knownSize(shape.slice(1));
    if (n == null) throw shapeError(op, 'known non-batch dimensions', shape);
    return [shape[0], n];
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const x = inputs as Tensor;
    return tf.reshape(x, [x.shape[0], -1]);
  }
}
