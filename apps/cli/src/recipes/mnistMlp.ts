import { Dense, Sequential } from '@nutshell/layers';
import { categoricalCrossentropy } from '@nutshell/train';
import type { Recipe } from './recipe.js';
import { RECIPE_SUMMARIES } from './catalog.js';
import { MNIST_INPUTS, loadMnistSplits, loadMnistTest } from './mnist.js';

/** A multilayer perceptron on MNIST: 784 → 128 ReLU → 10 logits. */
export const mnistMlp: Recipe = {
  name: 'mnist-mlp',
  summary: RECIPE_SUMMARIES['mnist-mlp'],
  defaults: { epochs: 1, batchSize: 64, lr: 1e-3, optimizer: 'adam' },
  target: 'oneHot',
  sampleShape: [784],
  inputs: MNIST_INPUTS,
  load: ({ limit }) => loadMnistSplits(limit),
  loadTest: ({ limit }) => loadMnistTest(limit),
  buildModel(seed) {
    return new Sequential(
      [
        new Dense({ units: 128, activation: 'relu', seed, name: 'hidden' }),
        new Dense({ units: 10, seed: seed + 1, name: 'logits' }),
      ],
      { inputShape: [784], name: 'mnist_mlp' },
    );
  },
  loss: () => categoricalCrossentropy({ fromLogits: true }),
};
