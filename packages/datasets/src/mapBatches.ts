import { tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';

/** A batch of features and targets. @public */
export interface Batch {
  /** Features, `[batch, ...]`. */
  readonly x: Tensor;
  /** Targets, `[batch, ...]`. */
  readonly y: Tensor;
}

/** What `mapBatches` wraps: any data source with a size and a (synchronous or asynchronous) `gather`. @public */
export interface BatchSource {
  /** Number of samples. */
  readonly size: number;
  /** The samples at `indices`; the caller disposes both tensors. */
  gather(indices: ArrayLike<number>): Batch | Promise<Batch>;
  /** Optional: awaited once before reading batches. */
  prepare?(): Promise<void>;
}

/**
 * A source whose batches are `fn` of the wrapped source's batches: augmentation (flips, crops, noise), scaling,
 * reshaping, done on each batch as it is read, so the stored data stays as it is. `fn` gets the batch and the
 * sample indices, may be async, and returns new tensors; the input batch's tensors that `fn` does not return are
 * disposed after it, and if `fn` throws.
 * @example
 * ```ts
 * // Random horizontal flips of [batch, h, w, c] images.
 * const augmented = mapBatches(train, ({ x, y }) => ({ x: tf.tidy(() => (Math.random() < 0.5 ? tf.reverse(x, 2) : tf.clone(x))), y }));
 * ```
 * @public
 */
export function mapBatches(
  source: BatchSource,
  fn: (batch: Batch, indices: ArrayLike<number>) => Batch | Promise<Batch>,
): BatchSource {
  return {
    size: source.size,
    prepare: source.prepare ? () => source.prepare!() : undefined,
    async gather(indices: ArrayLike<number>): Promise<Batch> {
      const batch = await source.gather(indices);
      let out: Batch | undefined;
      try {
        out = await fn(batch, indices);
        return out;
      } finally {
        for (const t of [batch.x, batch.y]) if (t !== out?.x && t !== out?.y) tf.dispose(t);
      }
    },
  };
}
