import { type LayerInputShape, type Shape } from '@nutshell/layers';
import { tf, type Tensor, type Variable } from '@nutshell/tensor';
import { conv2d } from '../conv2d.js';
import { BaseConv } from './baseConv.js';
import { conv2dOutputShape, intArg, pairArg, type ConvLayerCommonArgs } from './common.js';

/** Arguments of {@link DepthwiseConv2D}. @public */
export interface DepthwiseConv2DArgs extends ConvLayerCommonArgs {
  readonly kernelSize: number | readonly [number, number];
  /** Output channels per input channel. Default 1. */
  readonly depthMultiplier?: number;
  readonly strides?: number | readonly [number, number];
  readonly dilationRate?: number | readonly [number, number];
}

/**
 * A depthwise convolution layer: every input channel is filtered on its own by `depthMultiplier` kernels
 * (a grouped convolution with groups = channels). Kernel shape `[kh, kw, channels, depthMultiplier]` (Keras
 * layout); output channel `c · depthMultiplier + m` comes from kernel `m` of input channel `c`.
 * @public
 */
export class DepthwiseConv2D extends BaseConv {
  readonly className: string = 'DepthwiseConv2D';
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  private kernel?: Variable;

  constructor(args: DepthwiseConv2DArgs) {
    super(args);
    this.kernelSize = pairArg(this.op, 'kernelSize', args.kernelSize, 0);
    this.depthMultiplier = intArg(this.op, 'depthMultiplier', args.depthMultiplier, 1);
    this.strides = pairArg(this.op, 'strides', args.strides, 1);
    this.dilationRate = pairArg(this.op, 'dilationRate', args.dilationRate, 1);
    this.parseCommonArgs(args);
  }

  protected buildKernels(c: number): void {
    const k = this.common;
    this.kernel = this.addWeight(
      'depthwise_kernel',
      [...this.kernelSize, c, this.depthMultiplier],
      k.kernelInitializer,
      { regularizer: k.kernelRegularizer },
    );
  }

  protected biasSize(c: number): number {
    return c * this.depthMultiplier;
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    this.checkBuiltChannels(shape, 4);
    const c = shape.length === 4 && shape[3] != null ? shape[3] : 1;
    return conv2dOutputShape(this.op, shape, this.kernelSize, 1, c * this.depthMultiplier, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: c,
    });
  }

  protected convolve(x: Tensor): Tensor {
    const c = x.shape[3] as number;
    // [kh, kw, c, m] → [kh, kw, 1, c·m]: the grouped layout, group c holding filters c·m … c·m + m − 1.
    const w = tf.reshape(this.kernel!, [...this.kernelSize, 1, c * this.depthMultiplier]);
    return conv2d(x, w, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: c,
      algorithm: this.common.algorithm,
    });
  }

  protected convConfig(): Record<string, unknown> {
    return {
      kernelSize: this.kernelSize,
      depthMultiplier: this.depthMultiplier,
      strides: this.strides,
      dilationRate: this.dilationRate,
    };
  }
}
