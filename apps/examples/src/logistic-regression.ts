// Logistic regression on the Breast Cancer Wisconsin data: "cancer or no cancer" from 30 measurements of
// cell nuclei. Run: pnpm --filter @nutshell/examples exec tsx src/logistic-regression.ts
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LogisticRegression } from '@nutshell/layers';
import { permutation, tf } from '@nutshell/tensor';

const DATA = new URL('../data/breast-cancer-wisconsin/breast_cancer.csv', import.meta.url);

// Feature order of the CSV (see DESCRIPTION.rst): ten measurements, each as mean, standard error and worst.
const MEASUREMENTS = [
  'radius',
  'texture',
  'perimeter',
  'area',
  'smoothness',
  'compactness',
  'concavity',
  'concave points',
  'symmetry',
  'fractal dimension',
];
export const FEATURE_NAMES = [
  ...MEASUREMENTS.map((m) => `mean ${m}`),
  ...MEASUREMENTS.map((m) => `${m} error`),
  ...MEASUREMENTS.map((m) => `worst ${m}`),
];

/** The data set: rows of 30 features and a label, 1 = malignant (cancer), 0 = benign. */
export interface BreastCancer {
  readonly features: Float64Array[];
  readonly malignant: Uint8Array;
}

/** Parses the scikit-learn CSV: a `n,features,class0,class1` line, then rows of features and a 0/1 label (0 = malignant). */
export function parseBreastCancer(text: string): BreastCancer {
  const lines = text.trim().split(/\r?\n/);
  const [n, width, class0] = lines[0].split(',');
  if (Number(width) !== 30 || class0 !== 'malignant' || lines.length - 1 !== Number(n)) {
    throw new Error(`breast_cancer.csv: unexpected header '${lines[0]}' or row count ${lines.length - 1}.`);
  }
  const features: Float64Array[] = [];
  const malignant = new Uint8Array(lines.length - 1);
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',').map(Number);
    if (cells.length !== 31 || cells.some((v) => !Number.isFinite(v)))
      throw new Error(`breast_cancer.csv: bad row ${i + 2}: '${line}'.`);
    features.push(Float64Array.from(cells.slice(0, 30)));
    malignant[i] = cells[30] === 0 ? 1 : 0; // the CSV's 0 is malignant; we model P(malignant)
  });
  return { features, malignant };
}

/** A stratified split: each class is shuffled (seeded) and `trainFraction` of it goes to training. */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  trainFraction: number,
  seed: number,
): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [...new Set(Array.from(labels))].sort()) {
    const members = Array.from(labels, (l, i) => (l === cls ? i : -1)).filter((i) => i >= 0);
    const order = permutation(members.length, { seed: seed + cls });
    const cut = Math.round(members.length * trainFraction);
    order.forEach((p, k) => (k < cut ? train : test).push(members[p]));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Standardisation fitted on the training rows only, so no information leaks from the test set. */
export function fitStandardizer(rows: Float64Array[]): (row: Float64Array) => Float64Array {
  const d = rows[0].length;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) std[j] += (r[j] - mean[j]) ** 2 / rows.length;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) || 1;
  return (r) => r.map((v, j) => (v - mean[j]) / std[j]);
}

export interface Result {
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly trainSize: number;
  readonly testSize: number;
  readonly top: { feature: string; weight: number; oddsRatio: number }[];
}

export async function main(log: (line: string) => void = console.log): Promise<Result> {
  const data = parseBreastCancer(await readFile(DATA, 'utf8'));
  const { train, test } = stratifiedSplit(data.malignant, 0.8, 42);
  const standardize = fitStandardizer(train.map((i) => data.features[i]));
  const matrix = (idx: number[]) =>
    tf.tensor2d(
      idx.flatMap((i) => Array.from(standardize(data.features[i]))),
      [idx.length, 30],
    );
  const xTrain = matrix(train);
  const xTest = matrix(test);
  const yTrain = train.map((i) => data.malignant[i]);
  const yTest = test.map((i) => data.malignant[i]);

  const model = new LogisticRegression({
    features: 30,
    featureNames: FEATURE_NAMES,
    classNames: ['benign', 'malignant'],
    l2: 0.01,
  });
  const { loss } = await model.fit(xTrain, yTrain, { epochs: 300, learningRate: 0.05 });
  const trainAccuracy = await model.accuracy(xTrain, yTrain);
  const testAccuracy = await model.accuracy(xTest, yTest);
  const { coefficients } = await model.coefficients();
  const top = [...coefficients]
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 5)
    .map((c) => ({ feature: c.feature, weight: c.weight, oddsRatio: c.oddsRatio }));

  log(
    `Breast Cancer Wisconsin: ${data.features.length} tumours, ${data.malignant.reduce((a, b) => a + b, 0)} malignant.`,
  );
  log(
    `Stratified split (seed 42): ${train.length} train, ${test.length} test; features standardised on the train split.`,
  );
  log(
    `Logistic regression, 300 full-batch Adam steps, L2 0.01: loss ${loss[0].toFixed(4)} -> ${loss[loss.length - 1].toFixed(4)}.`,
  );
  log(`Accuracy: train ${(100 * trainAccuracy).toFixed(1)}%, test ${(100 * testAccuracy).toFixed(1)}%.`);
  log('The five most influential features (per standard deviation, on the odds of malignancy):');
  for (const t of top) {
    const effect =
      t.oddsRatio >= 1
        ? `multiplies the odds by ${t.oddsRatio.toFixed(2)}`
        : `divides the odds by ${(1 / t.oddsRatio).toFixed(2)}`;
    log(`  ${t.feature.padEnd(22)} weight ${t.weight >= 0 ? '+' : ''}${t.weight.toFixed(3)}  ${effect}`);
  }
  tf.dispose([xTrain, xTest]);
  model.dispose();
  return { trainAccuracy, testAccuracy, trainSize: train.length, testSize: test.length, top };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
