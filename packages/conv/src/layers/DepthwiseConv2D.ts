import { Layer, type ApplyOptions, type LayerConfig, type LayerInputShape, type Shape } from '@nutshell/layers';
import { ShapeError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { conv2d } from '../conv2d.js';
import { ConvCommon, conv2dOutputShape, intArg, pairArg, type ConvLayerCommonArgs } from './common.js';

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
export class DepthwiseConv2D extends Layer {
  readonly className: string = 'DepthwiseConv2D';
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  /** Padding, activation, bias, initializers, regularizers, algorithm. */
  readonly common: ConvCommon;
  private kernel?: Variable;
  private bias?: Variable;

  constructor(args: DepthwiseConv2DArgs) {
    super(args);
    const op = `DepthwiseConv2D '${this.name}'`;
    this.kernelSize = pairArg(op, 'kernelSize', args.kernelSize, 0);
    this.depthMultiplier = intArg(op, 'depthMultiplier', args.depthMultiplier, 1);
    this.strides = pairArg(op, 'strides', args.strides, 1);
    this.dilationRate = pairArg(op, 'dilationRate', args.dilationRate, 1);
    this.common = new ConvCommon(op, args);
  }

  override build(inputShape: LayerInputShape): void {
    const c = (inputShape as Shape)[3] as number;
    const k = this.common;
    this.kernel = this.addWeight('depthwise_kernel', [...this.kernelSize, c, this.depthMultiplier], k.kernelInitializer, { regularizer: k.kernelRegularizer });
    if (k.useBias) this.bias = this.addWeight('bias', [c * this.depthMultiplier], k.biasInitializer, { regularizer: k.biasRegularizer });
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    const op = `DepthwiseConv2D '${this.name}'`;
    const built = this.kernel?.shape[2];
    if (built !== undefined && shape.length === 4 && shape[3] !== built) {
      throw new ShapeError(op, `[?, ?, ?, ${built}]`, shape as number[], `the layer was built for ${built} input channels`);
    }
    const c = shape.length === 4 && shape[3] != null ? shape[3] : 1;
    return conv2dOutputShape(op, shape, this.kernelSize, 1, c * this.depthMultiplier, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: c,
    });
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const x = inputs as Tensor;
    const c = x.shape[3] as number;
    // [kh, kw, c, m] → [kh, kw, 1, c·m]: the grouped layout, group c holding filters c·m … c·m + m − 1.
    const w = tf.reshape(this.kernel!, [...this.kernelSize, 1, c * this.depthMultiplier]);
    let y = conv2d(x, w, {
      strides: this.strides,
      padding: this.common.padding,
      dilations: this.dilationRate,
      groups: c,
      algorithm: this.common.algorithm,
    });
    if (this.bias) y = tf.add(y, this.bias);
    return this.common.activate(y);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      depthMultiplier: this.depthMultiplier,
      strides: this.strides,
      dilationRate: this.dilationRate,
      ...this.common.config(),
    };
  }
}
