import { Rng } from '@nutshell/tensor';
import { subset } from './dataset.js';
import type { Dataset } from './dataset.js';
import { DatasetError } from './errors.js';

/** Options for {@link stratifiedSplit}. @public */
export interface SplitOptions {
  /** Fraction of each class that goes to the test set, in (0, 1); default 0.2. */
  readonly testFraction?: number;
  /** Seed for choosing the test rows; default 0. The same seed gives the same split. */
  readonly seed?: number;
}

/**
 * Splits a data set into training and test sets so that each class keeps its proportion in both (a stratified
 * split): from each class, `round(count × testFraction)` rows chosen at random with the seed go to the test set.
 * Both sets keep the original row order. Returns copies of the rows.
 *
 * @example
 * ```ts
 * const { train, test } = stratifiedSplit(loadBreastCancer(), { testFraction: 0.2, seed: 42 });
 * ```
 * @public
 */
export function stratifiedSplit(
  data: Dataset,
  options: SplitOptions = {},
): { train: Dataset; test: Dataset } {
  const testFraction = options.testFraction ?? 0.2;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new DatasetError(`stratifiedSplit: testFraction must be in (0, 1), got ${testFraction}.`);
  }
  const rng = new Rng(options.seed ?? 0);
  const byClass: number[][] = Array.from({ length: data.numClasses }, () => []);
  for (let i = 0; i < data.n; i++) byClass[data.y[i]].push(i);
  const isTest = new Uint8Array(data.n);
  for (const rows of byClass) {
    const take = Math.round(rows.length * testFraction);
    // Partial Fisher–Yates: the first `take` positions become a uniform random sample of the class.
    for (let k = 0; k < take; k++) {
      const j = k + rng.nextInt(rows.length - k);
      [rows[k], rows[j]] = [rows[j], rows[k]];
      isTest[rows[k]] = 1;
    }
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < data.n; i++) (isTest[i] ? test : train).push(i);
  return { train: subset(data, train), test: subset(data, test) };
}
