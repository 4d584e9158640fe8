import { Layer, type ApplyOptions, type LayerConfig, type LayerInputShape, type Shape } from '@nutshell/layers';
import { ShapeError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { conv2d } from '../conv2d.js';
import { ConvCommon, conv2dOutputShape, intArg, pairArg, type ConvLayerCommonArgs } from './common.js';

/** Arguments of {@link Conv2D}. @public */
export interface Conv2DArgs extends ConvLayerCommonArgs {
  /** Number of filters (output channels). */
  readonly filters: number;
  /** Kernel size, one number or `[rows, columns]`. */
  readonly kernelSize: number | readonly [number, number];
  /** Default 1. */
  readonly strides?: number | readonly [number, number];
  /** Spacing between kernel taps. Default 1. */
  readonly dilationRate?: number | readonly [number, number];
  /** Grouped convolution: input channels and filters split into this many groups. Default 1. */
  readonly groups?: number;
}

/**
 * A 2-D convolution layer: `filters` learned kernels of `kernelSize` slide over an NHWC image, each giving one
 * output channel (a feature map), plus a bias, through an activation. Kernel shape
 * `[kh, kw, channels / groups, filters]` (the same layout as Keras).
 * @public
 */
export class Conv2D extends Layer {
  readonly className: string = 'Conv2D';
  /** Output channels. */
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  readonly groups: number;
  /** Padding, activation, bias, initializers, regularizers, algorithm. */
  readonly common: ConvCommon;
  private kernel?: Variable;
  private bias?: Variable;

  constructor(args: Conv2DArgs) {
    super(args);
    const op = `Conv2D '${this.name}'`;
    this.filters = intArg(op, 'filters', args.filters);
    this.kernelSize = pairArg(op, 'kernelSize', args.kernelSize, 0);
    this.strides = pairArg(op, 'strides', args.strides, 1);
    this.dilationRate = pairArg(op, 'dilationRate', args.dilationRate, 1);
    this.groups = intArg(op, 'groups', args.groups, 1);
    this.common = new ConvCommon(op, args);
  }

  /** The kernel variable (after building). */
  get kernelVariable(): Variable | undefined {
    return this.kernel;
  }

  override build(inputShape: LayerInputShape): void {
    const c = (inputShape as Shape)[3] as number;
    const k = this.common;
    this.kernel = this.addWeight('kernel', [...this.kernelSize, c / this.groups, this.filters], k.kernelInitializer, { regularizer: k.kernelRegularizer });
    if (k.useBias) this.bias = this.addWeight('bias', [this.filters], k.biasInitializer, { regularizer: k.biasRegularizer });
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    const op = `Conv2D '${this.name}'`;
    const built = this.kernel ? (this.kernel.shape as number[])[2] * this.groups : undefined;
    if (built !== undefined && shape.length === 4 && shape[3] !== built) {
      throw new ShapeError(op, `[?, ?, ?, ${built}]`, shape as number[], `the layer was built for ${built} input channels`);
    }
    return conv2dOutputShape(op, shape, this.kernelSize, undefined, this.filters, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: this.groups,
    });
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    let y = conv2d(inputs as Tensor, this.kernel!, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: this.groups,
      algorithm: this.common.algorithm,
    });
    if (this.bias) y = tf.add(y, this.bias);
    return this.common.activate(y);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      dilationRate: this.dilationRate,
      groups: this.groups,
      ...this.common.config(),
    };
  }
}
