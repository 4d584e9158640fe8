import { assertLabels } from './dataset.js';

/**
 * One-hot rows from integer labels, as a flat `labels.length × numClasses` Float32Array (row `i` has a 1 in
 * column `labels[i]`). A label that is not an integer in `[0, numClasses)` is a `DatasetError` naming its row,
 * never a silent row of zeros. (For a tensor, use `oneHot` from `@nutshell/tensor`.)
 * @public
 */
export function oneHot(labels: ArrayLike<number>, numClasses: number): Float32Array {
  assertLabels(labels, numClasses, 'oneHot');
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) out[i * numClasses + labels[i]] = 1;
  return out;
}
