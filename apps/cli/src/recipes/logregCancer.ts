import { Dense, Sequential } from '@nutshell/layers';
import { Standardizer, loadBreastCancer, stratifiedSplit, subset } from '@nutshell/datasets';
import { binaryCrossentropy } from '@nutshell/train';
import type { Recipe } from './recipe.js';
import { RECIPE_SUMMARIES } from './catalog.js';

const TEST_FRACTION = 0.2;

function split(seed: number, limit?: number) {
  const all = loadBreastCancer();
  const { train, test } = stratifiedSplit(all, { testFraction: TEST_FRACTION, seed });
  if (limit === undefined || limit >= train.n) return { train, test };
  return {
    train: subset(
      train,
      Array.from({ length: limit }, (_, i) => i),
    ),
    test,
  };
}

/**
 * Logistic regression on the Breast Cancer Wisconsin set: 30 standardised features → one logit, binary
 * cross-entropy; 80/20 stratified split (seeded), the Standardizer fitted on the training rows only.
 */
export const logregCancer: Recipe = {
  name: 'logreg-cancer',
  summary: RECIPE_SUMMARIES['logreg-cancer'],
  defaults: { epochs: 30, batchSize: 32, lr: 0.01, optimizer: 'adam' },
  target: 'binary',
  sampleShape: [30],
  inputs: 'an IDX file of float or ubyte rows of the 30 raw features ([n, 30] or [30])',
  load({ limit, seed }) {
    const { train, test } = split(seed, limit);
    const scaler = new Standardizer().fit(train);
    return { train: scaler.transform(train), test: scaler.transform(test), scaler: scaler.toJSON() };
  },
  loadTest({ seed, scaler }) {
    const { test } = split(seed);
    return scaler ? Standardizer.fromJSON(scaler).transform(test) : test;
  },
  buildModel(seed) {
    return new Sequential([new Dense({ units: 1, seed, name: 'logit' })], {
      inputShape: [30],
      name: 'logreg_cancer',
    });
  },
  loss: () => binaryCrossentropy({ fromLogits: true }),
};
