import { type LayerInputShape, type Shape } from '@nutshell/layers';
import { type Tensor, type Variable } from '@nutshell/tensor';
import { conv2d, conv2dBiasActivation } from '../conv2d.js';
import { BaseConv } from './baseConv.js';
import { conv2dOutputShape, intArg, pairArg, type ConvLayerCommonArgs } from './common.js';

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
export class Conv2D extends BaseConv {
  readonly className: string = 'Conv2D';
  /** Output channels. */
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  readonly groups: number;
  private kernel?: Variable;

  constructor(args: Conv2DArgs) {
    super(args);
    this.filters = intArg(this.op, 'filters', args.filters);
    this.kernelSize = pairArg(this.op, 'kernelSize', args.kernelSize, 0);
    this.strides = pairArg(this.op, 'strides', args.strides, 1);
    this.dilationRate = pairArg(this.op, 'dilationRate', args.dilationRate, 1);
    this.groups = intArg(this.op, 'groups', args.groups, 1);
    this.parseCommonArgs(args);
  }

  /** The kernel variable (after building). */
  get kernelVariable(): Variable | undefined {
    return this.kernel;
  }

  protected buildKernels(c: number): void {
    const k = this.common;
    this.kernel = this.addWeight(
      'kernel',
      [...this.kernelSize, c / this.groups, this.filters],
      k.kernelInitializer,
      { regularizer: k.kernelRegularizer },
    );
  }

  protected biasSize(): number {
    return this.filters;
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    this.checkBuiltChannels(shape, 4);
    return conv2dOutputShape(this.op, shape, this.kernelSize, undefined, this.filters, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: this.groups,
    });
  }

  protected convolve(x: Tensor): Tensor {
    return conv2d(x, this.kernel!, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: this.groups,
      algorithm: this.common.algorithm,
    });
  }

  protected override convolveFused(x: Tensor, bias: Variable, activation: string): Tensor | undefined {
    if (activation !== 'linear' && activation !== 'relu') return undefined;
    return conv2dBiasActivation(this.op, x, this.kernel!, bias, activation, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: this.groups,
      algorithm: this.common.algorithm,
    });
  }

  protected convConfig(): Record<string, unknown> {
    return {
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      dilationRate: this.dilationRate,
      groups: this.groups,
    };
  }
}
