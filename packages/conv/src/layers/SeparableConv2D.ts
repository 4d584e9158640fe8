import {
  getInitializer,
  initializers,
  type Initializer,
  type InitializerSpec,
  type LayerInputShape,
  type Shape,
} from '@nutshell/layers';
import { tf, type Tensor, type Variable } from '@nutshell/tensor';
import { conv2d } from '../conv2d.js';
import { BaseConv } from './baseConv.js';
import { conv2dOutputShape, intArg, pairArg, type ConvLayerCommonArgs } from './common.js';

/** Arguments of {@link SeparableConv2D}. @public */
export interface SeparableConv2DArgs extends ConvLayerCommonArgs {
  /** Output channels of the pointwise step. */
  readonly filters: number;
  readonly kernelSize: number | readonly [number, number];
  /** Channels per input channel after the depthwise step. Default 1. */
  readonly depthMultiplier?: number;
  readonly strides?: number | readonly [number, number];
  readonly dilationRate?: number | readonly [number, number];
  /** Initializer of the pointwise kernel. Default glorotUniform seeded with `seed + 1`. */
  readonly pointwiseInitializer?: InitializerSpec;
}

/**
 * A depthwise-separable convolution (Xception, MobileNet): a depthwise convolution filters each channel
 * spatially, then a 1×1 (pointwise) convolution mixes channels into `filters` outputs. Far fewer weights than
 * a full convolution: kh·kw·c·m + c·m·filters instead of kh·kw·c·filters. Weights `depthwise_kernel`
 * `[kh, kw, c, m]` and `pointwise_kernel` `[1, 1, c·m, filters]`.
 * @public
 */
export class SeparableConv2D extends BaseConv {
  readonly className: string = 'SeparableConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  private readonly pointwiseInitializer: Initializer;
  private depthwise?: Variable;
  private pointwise?: Variable;

  constructor(args: SeparableConv2DArgs) {
    super(args);
    this.filters = intArg(this.op, 'filters', args.filters);
    this.kernelSize = pairArg(this.op, 'kernelSize', args.kernelSize, 0);
    this.depthMultiplier = intArg(this.op, 'depthMultiplier', args.depthMultiplier, 1);
    this.strides = pairArg(this.op, 'strides', args.strides, 1);
    this.dilationRate = pairArg(this.op, 'dilationRate', args.dilationRate, 1);
    this.parseCommonArgs(args);
    this.pointwiseInitializer = getInitializer(
      args.pointwiseInitializer ??
        initializers.glorotUniform({ seed: args.seed === undefined ? undefined : args.seed + 1 }),
    );
  }

  protected buildKernels(c: number): void {
    const k = this.common;
    const m = this.depthMultiplier;
    this.depthwise = this.addWeight('depthwise_kernel', [...this.kernelSize, c, m], k.kernelInitializer, {
      regularizer: k.kernelRegularizer,
    });
    this.pointwise = this.addWeight(
      'pointwise_kernel',
      [1, 1, c * m, this.filters],
      this.pointwiseInitializer,
      { regularizer: k.kernelRegularizer },
    );
  }

  protected biasSize(): number {
    return this.filters;
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    this.checkBuiltChannels(shape, 4);
    const c = shape.length === 4 && shape[3] != null ? shape[3] : 1;
    const mid = conv2dOutputShape(this.op, shape, this.kernelSize, 1, c * this.depthMultiplier, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: c,
    });
    return [mid[0], mid[1], mid[2], this.filters];
  }

  protected convolve(x: Tensor): Tensor {
    const c = x.shape[3] as number;
    const w = tf.reshape(this.depthwise!, [...this.kernelSize, 1, c * this.depthMultiplier]);
    const mid = conv2d(x, w, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: c,
      algorithm: this.common.algorithm,
    });
    return conv2d(mid, this.pointwise!, { algorithm: this.common.algorithm });
  }

  protected convConfig(): Record<string, unknown> {
    return {
      filters: this.filters,
      kernelSize: this.kernelSize,
      depthMultiplier: this.depthMultiplier,
      strides: this.strides,
      dilationRate: this.dilationRate,
      pointwiseInitializer: {
        className: this.pointwiseInitializer.className,
        config: { ...this.pointwiseInitializer.config },
      },
    };
  }
}
