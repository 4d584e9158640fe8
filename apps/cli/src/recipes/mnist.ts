import { loadMnist } from '@nutshell/datasets';
import type { Dataset } from '@nutshell/datasets';
import type { RecipeData } from './recipe.js';

/** MNIST's training and test sets; `limit` keeps the first `limit` training images and as many test images (at most 10,000). */
export function loadMnistSplits(limit?: number): RecipeData {
  return { train: loadMnist({ split: 'train', limit }), test: loadMnistTest(limit) };
}

/** MNIST's test set (the first `limit` images when given). */
export function loadMnistTest(limit?: number): Dataset {
  return loadMnist({ split: 'test', limit: limit === undefined ? undefined : Math.min(limit, 10000) });
}

/** What predict accepts for the MNIST recipes. */
export const MNIST_INPUTS =
  'a PNG image of a digit (any size, converted to 28×28 grey), CSV rows of 784 pixels (0–255) or an IDX file of 28×28 ubyte images';
