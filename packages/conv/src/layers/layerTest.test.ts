// The convolution and pooling layers through @nutshell/layers' shared harness: shape, weights and trainable flags,
// config round-trip, safetensors save/load, gradients against finite differences, leaks, freezing.
import { runLayerTest } from '@nutshell/layers';
import { randomNormal, tf } from '@nutshell/tensor';
import { describe, it } from 'vitest';
import {
  AvgPool2D,
  Conv1D,
  Conv2D,
  DepthwiseConv2D,
  GlobalAvgPool2D,
  MaxPool1D,
  SeparableConv2D,
} from '../index.js';

describe('the convolution and pooling layers pass runLayerTest', () => {
  const img = randomNormal([2, 5, 5, 2], { seed: 1 });
  const seq = randomNormal([2, 7, 3], { seed: 2 });

  it('Conv2D, Conv1D', async () => {
    await runLayerTest({
      make: () => new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh', seed: 1 }),
      input: img,
      expectedOutputShape: [2, 5, 5, 3],
      expectedWeights: [
        { name: 'kernel', shape: [3, 3, 2, 3] },
        { name: 'bias', shape: [3] },
      ],
    });
    await runLayerTest({
      make: () => new Conv1D({ filters: 2, kernelSize: 3, dilationRate: 2, seed: 2 }),
      input: seq,
      expectedOutputShape: [2, 3, 2],
      expectedWeights: [
        { name: 'kernel', shape: [3, 3, 2] },
        { name: 'bias', shape: [2] },
      ],
    });
  });

  it('DepthwiseConv2D, SeparableConv2D', async () => {
    await runLayerTest({
      make: () => new DepthwiseConv2D({ kernelSize: 2, depthMultiplier: 2, seed: 3 }),
      input: img,
      expectedOutputShape: [2, 4, 4, 4],
    });
    await runLayerTest({
      make: () => new SeparableConv2D({ filters: 3, kernelSize: 3, padding: 'same', seed: 4 }),
      input: img,
      expectedOutputShape: [2, 5, 5, 3],
    });
  });

  it('pooling layers (no weights)', async () => {
    // Average pooling is smooth; max pooling's gradient is checked away from ties by the random input.
    await runLayerTest({
      make: () => new AvgPool2D({ poolSize: 2 }),
      input: img,
      expectedOutputShape: [2, 2, 2, 2],
      expectedWeights: [],
    });
    await runLayerTest({
      make: () => new MaxPool1D({ poolSize: 2 }),
      input: seq,
      expectedOutputShape: [2, 3, 3],
      expectedWeights: [],
    });
    await runLayerTest({
      make: () => new GlobalAvgPool2D(),
      input: img,
      expectedOutputShape: [2, 2],
      expectedWeights: [],
    });
    tf.dispose([img, seq]);
  });
});
