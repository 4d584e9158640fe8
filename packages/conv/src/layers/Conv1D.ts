import { Layer, type ApplyOptions, type LayerConfig, type LayerInputShape, type Shape } from '@nutshell/layers';
import { ShapeError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { conv1d } from '../conv2d.js';
import { ConvCommon, conv2dOutputShape, intArg, type ConvLayerCommonArgs } from './common.js';

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
export class Conv1D extends Layer {
  readonly className: string = 'Conv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly dilationRate: number;
  readonly groups: number;
  /** Padding, activation, bias, initializers, regularizers, algorithm. */
  readonly common: ConvCommon;
  private kernel?: Variable;
  private bias?: Variable;

  constructor(args: Conv1DArgs) {
    super(args);
    const op = `Conv1D '${this.name}'`;
    this.filters = intArg(op, 'filters', args.filters);
    this.kernelSize = intArg(op, 'kernelSize', args.kernelSize);
    this.strides = intArg(op, 'strides', args.strides, 1);
    this.dilationRate = intArg(op, 'dilationRate', args.dilationRate, 1);
    this.groups = intArg(op, 'groups', args.groups, 1);
    this.common = new ConvCommon(op, args);
  }

  override build(inputShape: LayerInputShape): void {
    const c = (inputShape as Shape)[2] as number;
    const k = this.common;
    this.kernel = this.addWeight('kernel', [this.kernelSize, c / this.groups, this.filters], k.kernelInitializer, { regularizer: k.kernelRegularizer });
    if (k.useBias) this.bias = this.addWeight('bias', [this.filters], k.biasInitializer, { regularizer: k.biasRegularizer });
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shape = inputShape as Shape;
    const op = `Conv1D '${this.name}'`;
    if (shape.length !== 3) throw new ShapeError(op, 'rank 3 [batch, length, channels]', shape as number[]);
    const built = this.kernel ? (this.kernel.shape as number[])[1] * this.groups : undefined;
    if (built !== undefined && shape[2] !== built) {
      throw new ShapeError(op, `[?, ?, ${built}]`, shape as number[], `the layer was built for ${built} input channels`);
    }
    const out = conv2dOutputShape(op, [shape[0], 1, shape[1], shape[2]], [1, this.kernelSize], undefined, this.filters, {
      strides: [1, this.strides],
      padding: this.common.padding,
      dilations: [1, this.dilationRate],
      groups: this.groups,
    });
    return [shape[0], out[2], this.filters];
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    let y = conv1d(inputs as Tensor, this.kernel!, {
      stride: this.strides,
      padding: this.common.padding,
      dilation: this.dilationRate,
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
