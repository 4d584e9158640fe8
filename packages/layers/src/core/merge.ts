import { tf, type Tensor } from '@nutshell/tensor';
import { Layer, type ApplyOptions, type LayerArgs, type LayerConfig } from '../layer.js';
import { fmt, isShapeList, shapeError, type LayerInputShape, type Shape } from '../shape.js';

function shapesOf(layer: Layer, inputShape: LayerInputShape): Shape[] {
  if (!isShapeList(inputShape) || inputShape.length < 2) {
    throw shapeError(`${layer.className} '${layer.name}'`, 'a list of at least 2 inputs', isShapeList(inputShape) ? [] : inputShape);
  }
  return inputShape;
}

const same = (a: number | null, b: number | null) => a == null || b == null || a === b;

/**
 * Base of the element-wise merge layers: every input must have the same shape (batch sizes may be unknown).
 * @public
 */
export abstract class ElementwiseMerge extends Layer {
  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shapes = shapesOf(this, inputShape);
    const first = shapes[0];
    shapes.forEach((s, i) => {
      if (s.length !== first.length || s.some((d, k) => !same(d, first[k]))) {
        throw shapeError(`${this.className} '${this.name}'`, first, s, `input ${i} does not match input 0; all shapes: ${shapes.map(fmt).join(', ')}`);
      }
    });
    return first.map((d, k) => d ?? shapes.find((s) => s[k] != null)?.[k] ?? null);
  }
}

/**
 * Adds its inputs element-wise (a residual connection: `Add().apply([x, f(x)])`).
 * @public
 */
export class Add extends ElementwiseMerge {
  readonly className: string = 'Add';
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    return tf.addN(inputs as Tensor[]);
  }
}

/**
 * Multiplies its inputs element-wise (a gate: `Multiply().apply([x, sigmoid(g)])`).
 * @public
 */
export class Multiply extends ElementwiseMerge {
  readonly className: string = 'Multiply';
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const [first, ...rest] = inputs as Tensor[];
    return rest.reduce((acc, t) => tf.mul(acc, t), first);
  }
}

/** Arguments of {@link Concatenate}. @public */
export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default −1, the channels of an NHWC image). Not the batch axis. */
  readonly axis?: number;
}

/**
 * Joins its inputs along `axis` (default the last): the merge of an Inception module's branches. Every other
 * dimension must agree.
 * @public
 */
export class Concatenate extends Layer {
  readonly className: string = 'Concatenate';
  /** The join axis as given. */
  readonly axis: number;
  constructor(args: ConcatenateArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shapes = shapesOf(this, inputShape);
    const op = `Concatenate '${this.name}'`;
    const rank = shapes[0].length;
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 1 || a >= rank) throw shapeError(op, `rank > ${a} to join on axis ${this.axis} (not the batch axis)`, shapes[0]);
    shapes.forEach((s, i) => {
      if (s.length !== rank || s.some((d, k) => k !== a && !same(d, shapes[0][k]))) {
        const expected = shapes[0].map((d, k) => (k === a ? null : d));
        throw shapeError(op, expected, s, `input ${i} differs from input 0 off axis ${this.axis}; all shapes: ${shapes.map(fmt).join(', ')}`);
      }
    });
    const out = [...shapes[0]];
    out[a] = shapes.some((s) => s[a] == null) ? null : shapes.reduce((n, s) => n + (s[a] as number), 0);
    return out;
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const list = inputs as Tensor[];
    return tf.concat(list, this.axis < 0 ? this.axis + list[0].rank : this.axis);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}
