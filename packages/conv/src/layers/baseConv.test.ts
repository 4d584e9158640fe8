// A user's own convolution layer on BaseConv: only its kernel, output shape and convolution are written; the bias,
// activation, config and the harness checks come from the base.
import {
  registerLayer,
  runLayerTest,
  type LayerConfig,
  type LayerInputShape,
  type Shape,
} from '@nutshell/layers';
import { read, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { BaseConv, conv2d, type ConvLayerCommonArgs } from '../index.js';

/** A 1×1 convolution: a per-pixel linear map of the channels. */
class Pointwise extends BaseConv {
  readonly className: string = 'TestPointwise';
  readonly filters: number;
  private kernel?: Variable;
  constructor(args: ConvLayerCommonArgs & { filters: number }) {
    super(args);
    this.filters = args.filters;
    this.parseCommonArgs(args);
  }
  protected buildKernels(c: number): void {
    this.kernel = this.addWeight('kernel', [1, 1, c, this.filters], this.common.kernelInitializer);
  }
  protected biasSize(): number {
    return this.filters;
  }
  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const s = inputShape as Shape;
    this.checkBuiltChannels(s, 4);
    return [s[0], s[1], s[2], this.filters];
  }
  protected convolve(x: Tensor): Tensor {
    return conv2d(x, this.kernel!, { algorithm: this.common.algorithm });
  }
  protected convConfig(): Record<string, unknown> {
    return { filters: this.filters };
  }
}
registerLayer(
  'TestPointwise',
  (c: LayerConfig) => new Pointwise(c as unknown as ConvLayerCommonArgs & { filters: number }),
);

describe('BaseConv', () => {
  it('gives a subclass bias, activation and config, and it passes runLayerTest', async () => {
    // x: one pixel with channels (1, 2); kernel [[1, −1], [2, 1]]; bias (0.5, −10) → relu(1 + 4 + 0.5, −1 + 2 − 10) = (5.5, 0).
    const layer = new Pointwise({
      filters: 2,
      activation: 'relu',
      kernelInitializer: 'ones',
      biasInitializer: 'zeros',
    });
    const x = tf.tensor4d([1, 2], [1, 1, 1, 2]);
    layer.apply(x).dispose();
    layer.setWeights([tf.tensor4d([1, -1, 2, 1], [1, 1, 2, 2]), tf.tensor1d([0.5, -10])]);
    expect(Array.from(await read(layer.apply(x) as Tensor))).toEqual([5.5, 0]);
    expect(layer.weights.map((w) => w.name)).toEqual([`${layer.name}/kernel`, `${layer.name}/bias`]);
    expect(layer.getConfig()).toMatchObject({
      filters: 2,
      activation: 'relu',
      useBias: true,
      padding: 'valid',
      algorithm: 'direct',
    });
    expect(() => layer.computeOutputShape([1, 1, 1, 3])).toThrow(
      `TestPointwise '${layer.name}': expected shape [?, ?, ?, 2]`,
    );

    await runLayerTest({
      make: () => new Pointwise({ filters: 3, activation: 'tanh', seed: 4 }),
      input: tf.randomNormal([2, 3, 3, 2], 0, 1, 'float32', 5),
      expectedOutputShape: [2, 3, 3, 3],
      expectedWeights: [
        { name: 'kernel', shape: [1, 1, 2, 3] },
        { name: 'bias', shape: [3] },
      ],
    });
  });
});
