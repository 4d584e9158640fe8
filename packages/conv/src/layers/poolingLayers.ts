import {
  Layer,
  type ApplyOptions,
  type LayerConfig,
  type LayerInputShape,
  type Shape,
} from '@nutshell/layers';
import { ShapeError, type Tensor } from '@nutshell/tensor';
import {
  avgPool1d,
  avgPool2d,
  checkSequenceMask,
  globalAvgPool1d,
  globalAvgPool2d,
  globalMaxPool1d,
  globalMaxPool2d,
  l2Pool2d,
  maxPool1d,
  maxPool2d,
} from '../pooling.js';
import { pairArg } from './common.js';
import { ConvArgumentError } from '../errors.js';

/** Arguments of the 2-D pooling layers. @public */
export interface Pool2DLayerArgs {
  readonly name?: string;
  /** Window size. Default 2. */
  readonly poolSize?: number | readonly [number, number];
  /** Default: the pool size. */
  readonly strides?: number | readonly [number, number];
  /** Default `'valid'`. */
  readonly padding?: 'valid' | 'same';
}

/** Arguments of the 1-D pooling layers. @public */
export interface Pool1DLayerArgs {
  readonly name?: string;
  /** Window length. Default 2. */
  readonly poolSize?: number;
  /** Default: the pool size. */
  readonly strides?: number;
  /** Default `'valid'`. */
  readonly padding?: 'valid' | 'same';
}

function outSize(
  op: string,
  size: number | null,
  window: number,
  stride: number,
  padding: 'valid' | 'same',
  shape: Shape,
): number | null {
  if (size == null) return null;
  if (padding === 'same') return Math.ceil(size / stride);
  if (window > size)
    throw new ShapeError(
      op,
      `an input at least ${window} along each pooled axis`,
      shape as number[],
      `pool window ${window} is larger than the input`,
    );
  return Math.floor((size - window) / stride) + 1;
}

/**
 * Base of the 2-D pooling layers (no weights). @public
 */
export abstract class Pool2DLayer extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  constructor(args: Pool2DLayerArgs = {}) {
    super(args);
    // The subclass's className and the layer name are not set yet inside this constructor.
    const op = new.target.name;
    this.poolSize = pairArg(op, 'poolSize', args.poolSize, 2);
    this.strides = args.strides === undefined ? this.poolSize : pairArg(op, 'strides', args.strides, 1);
    this.padding = args.padding ?? 'valid';
    if (this.padding !== 'valid' && this.padding !== 'same')
      throw new ConvArgumentError(op, 'padding', "'valid' or 'same'", args.padding);
  }
  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const s = inputShape as Shape;
    const op = `${this.className} '${this.name}'`;
    if (s.length !== 4) throw new ShapeError(op, 'rank 4 [batch, height, width, channels]', s as number[]);
    return [
      s[0],
      outSize(op, s[1], this.poolSize[0], this.strides[0], this.padding, s),
      outSize(op, s[2], this.poolSize[1], this.strides[1], this.padding, s),
      s[3],
    ];
  }
  protected get options() {
    return { poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}

/** Max pooling over 2-D windows (see `maxPool2d`). @public */
export class MaxPool2D extends Pool2DLayer {
  readonly className: string = 'MaxPool2D';
  call(x: Tensor | Tensor[], _o: ApplyOptions): Tensor {
    return maxPool2d(x as Tensor, this.options);
  }
}

/** Average pooling over 2-D windows (see `avgPool2d`). @public */
export class AvgPool2D extends Pool2DLayer {
  readonly className: string = 'AvgPool2D';
  call(x: Tensor | Tensor[], _o: ApplyOptions): Tensor {
    return avgPool2d(x as Tensor, this.options);
  }
}

/** L2 pooling √(Σ x²) over 2-D windows (see `l2Pool2d`). @public */
export class L2Pool2D extends Pool2DLayer {
  readonly className: string = 'L2Pool2D';
  call(x: Tensor | Tensor[], _o: ApplyOptions): Tensor {
    return l2Pool2d(x as Tensor, this.options);
  }
}

/** Base of the 1-D pooling layers. @public */
export abstract class Pool1DLayer extends Layer {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: 'valid' | 'same';
  constructor(args: Pool1DLayerArgs = {}) {
    super(args);
    const op = new.target.name;
    this.poolSize = pairArg(op, 'poolSize', args.poolSize, 2)[0];
    this.strides = args.strides === undefined ? this.poolSize : pairArg(op, 'strides', args.strides, 1)[0];
    this.padding = args.padding ?? 'valid';
    if (this.padding !== 'valid' && this.padding !== 'same')
      throw new ConvArgumentError(op, 'padding', "'valid' or 'same'", args.padding);
  }
  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const s = inputShape as Shape;
    const op = `${this.className} '${this.name}'`;
    if (s.length !== 3) throw new ShapeError(op, 'rank 3 [batch, length, channels]', s as number[]);
    return [s[0], outSize(op, s[1], this.poolSize, this.strides, this.padding, s), s[2]];
  }
  protected get options() {
    return { poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}

/** Max pooling along sequences (see `maxPool1d`). @public */
export class MaxPool1D extends Pool1DLayer {
  readonly className: string = 'MaxPool1D';
  call(x: Tensor | Tensor[], _o: ApplyOptions): Tensor {
    return maxPool1d(x as Tensor, this.options);
  }
}

/** Average pooling along sequences (see `avgPool1d`). @public */
export class AvgPool1D extends Pool1DLayer {
  readonly className: string = 'AvgPool1D';
  call(x: Tensor | Tensor[], _o: ApplyOptions): Tensor {
    return avgPool1d(x as Tensor, this.options);
  }
}

function globalShape(layer: Layer, inputShape: LayerInputShape, rank: number): Shape {
  const s = inputShape as Shape;
  if (s.length !== rank) {
    throw new ShapeError(
      `${layer.className} '${layer.name}'`,
      rank === 4 ? 'rank 4 [batch, height, width, channels]' : 'rank 3 [batch, length, channels]',
      s as number[],
    );
  }
  return [s[0], s[rank - 1]];
}

/**
 * Base of the global pooling layers (no weights): `[batch, ...spatial, c]` → `[batch, c]`, one value per channel.
 * @public
 */
export abstract class GlobalPoolLayer extends Layer {
  /** The input rank: 4 for images `[batch, h, w, c]`, 3 for sequences `[batch, length, c]`. */
  protected abstract readonly inputRank: 3 | 4;
  /** The pooling op; `mask` (`[batch, length]`, checked) only for sequences, when the input has one. */
  protected abstract pool(x: Tensor, mask?: Tensor): Tensor;
  override computeOutputShape(s: LayerInputShape): Shape {
    return globalShape(this, s, this.inputRank);
  }
  /**
   * Pools `x`. A sequence layer honours `o.mask` (padded steps do not count); an image layer has no steps to mask
   * and, like every layer that does not read masks, ignores it. The output has no mask (the default `outputMask`
   * drops it: the steps are gone).
   */
  call(x: Tensor | Tensor[], o: ApplyOptions): Tensor {
    const input = x as Tensor;
    if (this.inputRank !== 3 || !o.mask) return this.pool(input);
    checkSequenceMask(`${this.className} '${this.name}'`, input, o.mask);
    return this.pool(input, o.mask);
  }
}

/** `[batch, h, w, c]` → `[batch, c]`: the largest value of each channel. @public */
export class GlobalMaxPool2D extends GlobalPoolLayer {
  readonly className: string = 'GlobalMaxPool2D';
  protected readonly inputRank = 4;
  protected pool(x: Tensor): Tensor {
    return globalMaxPool2d(x);
  }
}

/** `[batch, h, w, c]` → `[batch, c]`: the mean of each channel (the classifier head of GoogLeNet). @public */
export class GlobalAvgPool2D extends GlobalPoolLayer {
  readonly className: string = 'GlobalAvgPool2D';
  protected readonly inputRank = 4;
  protected pool(x: Tensor): Tensor {
    return globalAvgPool2d(x);
  }
}

/**
 * `[batch, length, c]` → `[batch, c]`: the largest value of each channel. With a padding mask (from an `Embedding`
 * with `paddingIndex` through `Sequential`/`Model`, or `apply(x, { mask })`) only the real steps count; a row with
 * none gives 0.
 * @public
 */
export class GlobalMaxPool1D extends GlobalPoolLayer {
  readonly className: string = 'GlobalMaxPool1D';
  protected readonly inputRank = 3;
  protected pool(x: Tensor, mask?: Tensor): Tensor {
    return globalMaxPool1d(x, mask);
  }
}

/**
 * `[batch, length, c]` → `[batch, c]`: the mean of each channel. With a padding mask (from an `Embedding` with
 * `paddingIndex` through `Sequential`/`Model`, or `apply(x, { mask })`) the mean is over the real steps only; a row
 * with none gives 0 (not NaN).
 * @public
 */
export class GlobalAvgPool1D extends GlobalPoolLayer {
  readonly className: string = 'GlobalAvgPool1D';
  protected readonly inputRank = 3;
  protected pool(x: Tensor, mask?: Tensor): Tensor {
    return globalAvgPool1d(x, mask);
  }
}
