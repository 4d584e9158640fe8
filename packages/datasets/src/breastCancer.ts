import { createDataset } from './dataset.js';
import type { Dataset } from './dataset.js';
import { readFileSync } from 'node:fs';
import { parseCsv } from './csv.js';
import { dataFile } from './dataDir.js';
import { DataFileError } from './errors.js';

const MEASURES = [
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

/** The 30 feature names of the breast-cancer set, in column order: 10 measures × (mean, standard error, worst). */
const FEATURE_NAMES = ['mean', 'standard error', 'worst'].flatMap((stat) =>
  MEASURES.map((m) => `${m} (${stat})`),
);

/**
 * The Breast Cancer Wisconsin (Diagnostic) data set: 569 tumours × 30 features computed from a digitised image
 * of a fine-needle aspirate (radius, texture, ... as mean, standard error and worst), label 0 = malignant,
 * 1 = benign (212 / 357). Shipped with this package (`data/breast-cancer-wisconsin/`, with its description and
 * source, the UCI copy in scikit-learn). Features are raw measurements: standardise them (fitted on the
 * training split) before training.
 * @public
 */
export function loadBreastCancer(): Dataset {
  const path = dataFile('breast-cancer-wisconsin/breast_cancer.csv');
  // The first line is scikit-learn's metadata: samples, features, class names; the data rows follow.
  const text = readFileSync(path, 'utf8');
  const [nText, fText, ...classNames] = parseCsv(text.slice(0, text.indexOf('\n')), path).rows[0];
  const { rows } = parseCsv(text, path, { skipRows: 1 });
  const n = Number(nText);
  const features = Number(fText);
  if (rows.length !== n || rows[0]?.length !== features + 1) {
    throw new DataFileError(
      path,
      `expected ${n} rows of ${features} features + label after the metadata line.`,
    );
  }
  const x = new Float32Array(n * features);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    for (let c = 0; c < features; c++) x[r * features + c] = Number(row[c]);
    y[r] = Number(row[features]);
  }
  return createDataset({ x, y, featureShape: [features], classNames, featureNames: FEATURE_NAMES }, path);
}
