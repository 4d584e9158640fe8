import { Rng } from '@nutshell/tensor';
import { DatasetError } from './errors.js';

/** Options for {@link batchIndices}. @public */
export interface BatchOptions {
  /** Shuffle the order (seeded); default false. */
  readonly shuffle?: boolean;
  /** Seed for the shuffle; default 0. */
  readonly seed?: number;
  /** Leave out the last batch when it is smaller than `batchSize`; default false. */
  readonly dropRemainder?: boolean;
}

/** Throws a {@link DatasetError} unless `batchSize` is a positive integer. @public */
export function assertBatchSize(batchSize: number, op = 'batch'): void {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new DatasetError(`${op}: batch size must be a positive integer, got ${batchSize}.`);
  }
}

/**
 * The row indices of each batch of one pass over `n` rows, in order or shuffled with a seed. Only the indices are
 * made; pass each to a data source's `gather` to build that batch's tensors.
 *
 * @example
 * ```ts
 * for (const idx of batchIndices(data.size, 64, { shuffle: true, seed: 1 })) {
 *   const { x, y } = data.gather(idx);
 *   // ... train on x, y ...
 *   x.dispose(); y.dispose();
 * }
 * ```
 * @public
 */
export function* batchIndices(
  n: number,
  batchSize: number,
  options: BatchOptions = {},
): Generator<Int32Array> {
  assertBatchSize(batchSize, 'batchIndices');
  if (!Number.isInteger(n) || n < 0)
    throw new DatasetError(`batchIndices: n must be a non-negative integer, got ${n}.`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (options.shuffle) {
    const rng = new Rng(options.seed ?? 0);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(start + batchSize, n);
    if (options.dropRemainder && end - start < batchSize) break;
    yield order.subarray(start, end);
  }
}
