import { type LayerInputShape, type Shape } from '@nutshell/layers';
import { ShapeError, type Tensor, type Variable } from '@nutshell/tensor';
import { conv1d } from '../conv2d.js';
import { BaseConv } from './baseConv.js';
import { conv2dOutputShape, intArg, type ConvLayerCommonArgs } from './common.js';

/** Arguments of {@link Conv1D}. @public */
export interface Conv1DArgs extends ConvLayerCommonArgs {
  /** Number of filters (output channels). */
  readonly filters: number;
  /** Kernel length. */
  readonly kernelSize: number;
  /** Default 1. */
  readonly strides?: number;
  /** Default 1. */
  readonly dilationRate?: number;
  /** Default 1. */
  readonly groups?: number;
}

/**
 * A 1-D convolution layer over sequences `[batch, length, channels]` (signals, time series, text embeddings):
 * `filters` kernels of `kernelSize` taps, kernel shape `[kernelSize, channels / groups, filters]`.
 * @public
 */
export class Conv1D extends BaseConv {
  readonly className: string = 'Conv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly dilationRate: number;
  readonly groups: number;
  private kernel?: Variable;

  constructor(args: Conv1DArgs) {
    super(args);
    this.filters = intArg(this.op, 'filters', args.filters);
    this.kernelSize = intArg(this.op, 'kernelSize', args.kernelSize);
    this.strides = intArg(this.op, 'strides', args.strides, 1);
    this.dilationRate = intArg(this.op, 'dilationRate', args.dilationRate, 1);
    this.groups = intArg(this.op, 'groups', args.groups, 1);
    this.parseCommonArgs(args);
  }

  protected buildKernels(c: number): void {
    const k = this.common;
    this.kernel = this.addWeight(
      'kernel',
      [this.kernelSize, c / this.groups, this.filters],
      k.kernelInitializer,
      { regularizer: k.kernelRegularizer },
    );
  }

  protected biasSize(): number {
    return this.filters;
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    if (shape.length !== 3)
      throw new ShapeError(this.op, 'rank 3 [batch, length, channels]', shape as number[]);
    this.checkBuiltChannels(shape, 3);
    const out = conv2dOutputShape(
      this.op,
      [shape[0], 1, shape[1], shape[2]],
      [1, this.kernelSize],
      undefined,
      this.filters,
      {
        strides: [1, this.strides],
        padding: this.common.padding,
        dilations: [1, this.dilationRate],
        groups: this.groups,
      },
    );
    return [shape[0], out[2], this.filters];
  }

  protected convolve(x: Tensor): Tensor {
    return conv1d(x, this.kernel!, {
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
