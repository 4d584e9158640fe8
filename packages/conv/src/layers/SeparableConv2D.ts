import { getInitializer, initializers, Layer, type ApplyOptions, type Initializer, type InitializerSpec, type LayerConfig, type LayerInputShape, type Shape } from '@nutshell/layers';
import { ShapeError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { conv2d } from '../conv2d.js';
import { ConvCommon, conv2dOutputShape, intArg, pairArg, type ConvLayerCommonArgs } from './common.js';

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
export class SeparableConv2D extends Layer {
  readonly className: string = 'SeparableConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  /** Padding, activation, bias, initializers (the kernel initializer is the depthwise one), algorithm. */
  readonly common: ConvCommon;
  private readonly pointwiseInitializer: Initializer;
  private depthwise?: Variable;
  private pointwise?: Variable;
  private bias?: Variable;

  constructor(args: SeparableConv2DArgs) {
    super(args);
    const op = `SeparableConv2D '${this.name}'`;
    this.filters = intArg(op, 'filters', args.filters);
    this.kernelSize = pairArg(op, 'kernelSize', args.kernelSize, 0);
    this.depthMultiplier = intArg(op, 'depthMultiplier', args.depthMultiplier, 1);
    this.strides = pairArg(op, 'strides', args.strides, 1);
    this.dilationRate = pairArg(op, 'dilationRate', args.dilationRate, 1);
    this.common = new ConvCommon(op, args);
    this.pointwiseInitializer = getInitializer(
      args.pointwiseInitializer ?? initializers.glorotUniform({ seed: args.seed === undefined ? undefined : args.seed + 1 }),
    );
  }

  override build(inputShape: LayerInputShape): void {
    const c = (inputShape as Shape)[3] as number;
    const k = this.common;
    const m = this.depthMultiplier;
    this.depthwise = this.addWeight('depthwise_kernel', [...this.kernelSize, c, m], k.kernelInitializer, { regularizer: k.kernelRegularizer });
    this.pointwise = this.addWeight('pointwise_kernel', [1, 1, c * m, this.filters], this.pointwiseInitializer, { regularizer: k.kernelRegularizer });
    if (k.useBias) this.bias = this.addWeight('bias', [this.filters], k.biasInitializer, { regularizer: k.biasRegularizer });
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    const op = `SeparableConv2D '${this.name}'`;
    const built = this.depthwise?.shape[2];
    if (built !== undefined && shape.length === 4 && shape[3] !== built) {
      throw new ShapeError(op, `[?, ?, ?, ${built}]`, shape as number[], `the layer was built for ${built} input channels`);
    }
    const c = shape.length === 4 && shape[3] != null ? shape[3] : 1;
    const mid = conv2dOutputShape(op, shape, this.kernelSize, 1, c * this.depthMultiplier, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: c,
    });
    return [mid[0], mid[1], mid[2], this.filters];
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const x = inputs as Tensor;
    const c = x.shape[3] as number;
    const w = tf.reshape(this.depthwise!, [...this.kernelSize, 1, c * this.depthMultiplier]);
    const mid = conv2d(x, w, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: c,
      algorithm: this.common.algorithm,
    });
    let y = conv2d(mid, this.pointwise!, { algorithm: this.common.algorithm });
    if (this.bias) y = tf.add(y, this.bias);
    return this.common.activate(y);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      depthMultiplier: this.depthMultiplier,
      strides: this.strides,
      dilationRate: this.dilationRate,
      pointwiseInitializer: { className: this.pointwiseInitializer.className, config: { ...this.pointwiseInitializer.config } },
      ...this.common.config(),
    };
  }
}
