import { describe, expect, it } from 'vitest';
import { numTensors, tf } from '@nutshell/tensor';
import { Dense } from './core/Dense.js';
import { Sequential } from './models/Sequential.js';
import { setModelWeights } from './io/weights.js';
import { WeightsMismatchError } from './errors.js';
import { legacyWeightName, snakeCase } from './naming.js';

describe('layer names', () => {
  it('follow Keras: conv2d, max_pooling2d, average_pooling2d, depthwise_conv2d, batch_normalization', () => {
    const names = [
      'Dense',
      'Conv2D',
      'Conv1D',
      'MaxPool2D',
      'AvgPool2D',
      'MaxPool1D',
      'GlobalAvgPool2D',
      'DepthwiseConv2D',
      'SeparableConv2D',
      'BatchNormalization',
      'L2Pool2D',
    ].map(snakeCase);
    expect(names).toEqual([
      'dense',
      'conv2d',
      'conv1d',
      'max_pooling2d',
      'average_pooling2d',
      'max_pooling1d',
      'global_average_pooling2d',
      'depthwise_conv2d',
      'separable_conv2d',
      'batch_normalization',
      'l2_pooling2d',
    ]);
  });

  it('map back to the names weights were saved under before (conv2_d_1, max_pool2_d_1, avg_pool2_d_1)', () => {
    expect(legacyWeightName('conv2d_1/kernel')).toBe('conv2_d_1/kernel');
    expect(legacyWeightName('max_pooling2d_3')).toBe('max_pool2_d_3');
    expect(legacyWeightName('average_pooling2d_2')).toBe('avg_pool2_d_2');
    expect(legacyWeightName('depthwise_conv2d_1/depthwise_kernel')).toBe(
      'depthwise_conv2_d_1/depthwise_kernel',
    );
    expect(legacyWeightName('dense_4/bias')).toBeUndefined();
  });

  it('weights saved under an old name load into a layer named the new way; an unknown name is still refused', () => {
    const model = new Sequential([new Dense({ units: 2, name: 'conv2d_9', seed: 1 })], { inputShape: [3] });
    const kernel = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const old = new Map([
      ['conv2_d_9/kernel', { dtype: 'F32' as const, shape: [3, 2], data: kernel }],
      ['conv2_d_9/bias', { dtype: 'F32' as const, shape: [2], data: Float32Array.from([7, 8]) }],
    ]);
    const before = numTensors();
    setModelWeights(model, old);
    expect(numTensors()).toBe(before);
    expect(Array.from(model.weights[0].variable.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(model.weights[1].variable.dataSync())).toEqual([7, 8]);
    old.set('other_1/kernel', old.get('conv2_d_9/kernel')!);
    expect(() => setModelWeights(model, old)).toThrow(WeightsMismatchError);
    model.dispose();
    void tf;
  });
});
