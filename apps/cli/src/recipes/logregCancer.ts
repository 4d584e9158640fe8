import { Dense, Sequential } from '@nutshell/layers';
import type { ModelLike } from '@nutshell/layers';
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
  inputs: 'CSV rows or an IDX file (float or ubyte, [n, 30] or [30]) of the 30 raw features',
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
  explain: (model) => explainLogistic(model, loadBreastCancer().featureNames ?? [], ['malignant', 'benign']),
};

/**
 * The fitted logistic regression in words: the intercept and, per feature (largest effect first), its weight and
 * odds ratio e^w, the factor by which the odds of `classNames[1]` multiply per standard deviation of the feature
 * (the features are standardised on the training rows).
 */
export async function explainLogistic(
  model: ModelLike,
  featureNames: readonly string[],
  classNames: readonly string[],
): Promise<string[]> {
  const [kernel, bias] = await Promise.all(model.trainableWeights.map((w) => w.variable.data()));
  const rows = Array.from(kernel, (w, i) => ({ name: featureNames[i] ?? `feature ${i}`, w }));
  rows.sort((a, b) => Math.abs(b.w) - Math.abs(a.w));
  const width = Math.max(7, ...rows.map((r) => r.name.length));
  const lines = [
    `coefficients (log-odds of ${classNames[1]} per standard deviation; odds ratio = e^weight):`,
    `  ${'feature'.padEnd(width)}    weight  odds ratio`,
    `  ${'(intercept)'.padEnd(width)}  ${bias[0].toFixed(4).padStart(8)}  ${Math.exp(bias[0]).toPrecision(4).padStart(10)}`,
  ];
  for (const r of rows)
    lines.push(
      `  ${r.name.padEnd(width)}  ${r.w.toFixed(4).padStart(8)}  ${Math.exp(r.w).toPrecision(4).padStart(10)}`,
    );
  return lines;
}
