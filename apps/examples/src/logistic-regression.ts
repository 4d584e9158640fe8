// Logistic regression on the Breast Cancer Wisconsin data: "cancer or no cancer" from 30 measurements of
// cell nuclei. Run: pnpm --filter @nutshell/examples exec tsx src/logistic-regression.ts
import { fileURLToPath } from 'node:url';
import { loadBreastCancer, Standardizer, stratifiedSplit, type Dataset } from '@nutshell/datasets';
import { LogisticRegression } from '@nutshell/layers';
import { tf } from '@nutshell/tensor';

/** The model gives P(malignant), so malignant is label 1 here; in the data set it is class 0. */
function malignant(d: Dataset): number[] {
  return Array.from(d.y, (c) => (c === 0 ? 1 : 0));
}

export interface Result {
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly trainSize: number;
  readonly testSize: number;
  readonly top: { feature: string; weight: number; oddsRatio: number }[];
}

export async function main(log: (line: string) => void = console.log): Promise<Result> {
  const data = loadBreastCancer();
  const split = stratifiedSplit(data, { testFraction: 0.2, seed: 42 });
  // Standardisation fitted on the training rows only, so no information leaks from the test set.
  const scaler = new Standardizer().fit(split.train);
  const [train, test] = [scaler.transform(split.train), scaler.transform(split.test)];
  const xTrain = tf.tensor2d(train.x, [train.n, 30]);
  const xTest = tf.tensor2d(test.x, [test.n, 30]);
  const yTrain = malignant(train);
  const yTest = malignant(test);

  const model = new LogisticRegression({
    features: 30,
    featureNames: data.featureNames,
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

  log(`Breast Cancer Wisconsin: ${data.n} tumours, ${malignant(data).reduce((a, b) => a + b, 0)} malignant.`);
  log(
    `Stratified split (seed 42): ${train.n} train, ${test.n} test; features standardised on the train split.`,
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
    log(`  ${t.feature.padEnd(24)} weight ${t.weight >= 0 ? '+' : ''}${t.weight.toFixed(3)}  ${effect}`);
  }
  tf.dispose([xTrain, xTest]);
  model.dispose();
  return { trainAccuracy, testAccuracy, trainSize: train.n, testSize: test.n, top };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
