import { createDataset } from './dataset.js';
import type { Dataset } from './dataset.js';
import { readCsv } from './csv.js';
import { dataFile } from './dataDir.js';
import { DataFileError } from './errors.js';

/**
 * The UCI optical-recognition 8×8 handwritten digits: 1,797 images, pixels 0–16 scaled to [0, 1]
 * (`featureShape` `[8, 8, 1]`), labels 0–9. Small enough for tests that must train to an accuracy in seconds.
 * Shipped with this package (`data/digits-8x8/`, with its description and source).
 * @public
 */
export function loadDigits(): Dataset {
  const path = dataFile('digits-8x8/digits.csv.gz');
  const { rows } = readCsv(path);
  const n = rows.length;
  if (n === 0 || rows[0].length !== 65) throw new DataFileError(path, 'expected rows of 64 pixels + label.');
  const x = new Float32Array(n * 64);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    for (let c = 0; c < 64; c++) x[r * 64 + c] = Number(row[c]) / 16;
    y[r] = Number(row[64]);
  }
  return createDataset(
    {
      x,
      y,
      featureShape: [8, 8, 1],
      numClasses: 10,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    },
    path,
  );
}
