// The one base of the convolution layers (Conv1D, Conv2D, DepthwiseConv2D, SeparableConv2D), Keras style: the
// shared arguments, the bias weight, the call tail conv → bias → activation and the config. A subclass gives its
// kernel weights, its output shape and its convolution; everything else lives here once.
import {
  Layer,
  type ApplyOptions,
  type LayerConfig,
  type LayerInputShape,
  type Shape,
} from '@nutshell/layers';
import { NutshellError, ShapeError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { ConvCommon, type ConvLayerCommonArgs } from './common.js';

/**
 * Base of the convolution layers: parses the shared arguments into `common` (`parseCommonArgs`), adds the `bias` weight after the
 * subclass's kernels, and computes `activation(convolve(x) + bias)`. Subclasses implement `buildKernels`,
 * `convolve`, `biasSize`, `convConfig` and `computeOutputShape`.
 * @public
 */
export abstract class BaseConv extends Layer {
  private parsedCommon?: ConvCommon;
  private bias?: Variable;
  private inChannels?: number;

  /** Padding, activation, bias, initializers, regularizers, algorithm. */
  get common(): ConvCommon {
    if (!this.parsedCommon)
      throw new NutshellError(`${this.op}: the constructor must call parseCommonArgs(args).`);
    return this.parsedCommon;
  }

  /** The op name errors start with: the class and the layer name, e.g. `Conv2D 'conv2d_1'`. */
  protected get op(): string {
    return `${this.className} '${this.name}'`;
  }

  /**
   * Parses the shared arguments into `common`; the subclass's constructor calls it after its own arguments. (Not in
   * this constructor: the subclass's `className`, which the default layer name and error messages use, is set only
   * after it returns.)
   */
  protected parseCommonArgs(args: ConvLayerCommonArgs): void {
    this.parsedCommon = new ConvCommon(this.op, args);
  }

  /** Adds the kernel weight(s) for `channels` input channels; called by `build` before the bias is added. */
  protected abstract buildKernels(channels: number): void;
  /** The number of output channels (the bias length) for `channels` input channels. */
  protected abstract biasSize(channels: number): number;
  /** The convolution alone, without bias or activation. */
  protected abstract convolve(x: Tensor): Tensor;
  /** The layer's own hyperparameters, placed in `getConfig` between the base config and the shared arguments. */
  protected abstract convConfig(): Record<string, unknown>;

  /** Adds the subclass's kernels, then `bias` (when `useBias`), for the input's last-axis channels. */
  override build(inputShape: LayerInputShape): void {
    const shape = inputShape as Shape;
    const c = shape[shape.length - 1] as number;
    this.inChannels = c;
    this.buildKernels(c);
    const k = this.common;
    if (k.useBias)
      this.bias = this.addWeight('bias', [this.biasSize(c)], k.biasInitializer, {
        regularizer: k.biasRegularizer,
      });
  }

  /** Throws if the layer is built and a rank-`rank` `shape` has a different number of channels. */
  protected checkBuiltChannels(shape: Shape, rank: number): void {
    const built = this.inChannels;
    if (built !== undefined && shape.length === rank && shape[rank - 1] !== built) {
      throw new ShapeError(
        this.op,
        `[${'?, '.repeat(rank - 1)}${built}]`,
        shape as number[],
        `the layer was built for ${built} input channels`,
      );
    }
  }

  /**
   * `activation(convolve(x) + bias)` as one fused op where the subclass has one for this case, else undefined (then
   * `call` composes the three). Conv2D fuses its direct algorithm with a 'linear' or 'relu' activation.
   */
  protected convolveFused(_x: Tensor, _bias: Variable, _activation: string): Tensor | undefined {
    return undefined;
  }

  /** `activation(convolve(x) + bias)`. */
  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const fused = this.bias && this.convolveFused(inputs as Tensor, this.bias, this.common.activation);
    if (fused) return fused;
    let y = this.convolve(inputs as Tensor);
    if (this.bias) y = tf.add(y, this.bias);
    return this.common.activate(y);
  }

  /** The base config, then the layer's own hyperparameters (`convConfig`), then the shared arguments. */
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), ...this.convConfig(), ...this.common.config() };
  }
}
