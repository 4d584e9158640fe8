import { inceptionNet } from '@nutshell/conv';
import { categoricalCrossentropy } from '@nutshell/train';
import type { Recipe } from './recipe.js';
import { RECIPE_SUMMARIES } from './catalog.js';
import { MNIST_INPUTS, loadMnistSplits, loadMnistTest } from './mnist.js';

/** A small network of Inception modules on MNIST (see `inceptionNet` in @nutshell/conv). */
export const mnistInception: Recipe = {
  name: 'mnist-inception',
  summary: RECIPE_SUMMARIES['mnist-inception'],
  defaults: { epochs: 1, batchSize: 64, lr: 2e-3, optimizer: 'adam' },
  target: 'oneHot',
  sampleShape: [28, 28, 1],
  inputs: MNIST_INPUTS,
  load: ({ limit }) => loadMnistSplits(limit),
  loadTest: ({ limit }) => loadMnistTest(limit),
  buildModel: (seed) => inceptionNet({ inputShape: [28, 28, 1], numClasses: 10, seed }),
  loss: () => categoricalCrossentropy({ fromLogits: true }),
};
