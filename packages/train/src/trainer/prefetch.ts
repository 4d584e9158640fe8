import { tf } from '@nutshell/tensor';
import type { Batch, DataSource } from './dataSource.js';

/**
 * Reads an epoch's batches for the training loop. With an asynchronous source (its `gather` returns a promise:
 * files read and decoded on demand) batch b + 1 is requested as soon as batch b is handed out, so loading
 * overlaps the step. A synchronous source is read batch by batch, as before: reading ahead would only hold one
 * more batch of tensors. `close` frees a batch read ahead and not used (training stopped, or failed).
 */
export class BatchReader {
  private ahead: { batch: number; promise: Promise<Batch> } | undefined;

  constructor(
    private readonly source: DataSource,
    private readonly indicesOf: (batch: number) => Int32Array,
    private readonly steps: number,
  ) {}

  /**
   * Batch `b` of the epoch; the caller disposes its tensors. A synchronous source's batch is returned as it is, not
   * in a promise (a promise a step costs a synchronous backend more than the rest of the loop's bookkeeping).
   */
  read(b: number): Batch | Promise<Batch> {
    const ahead = this.ahead;
    if (ahead && ahead.batch !== b) return this.close().then(() => this.read(b));
    this.ahead = undefined;
    const got = ahead ? ahead.promise : this.source.gather(this.indicesOf(b));
    if (isPromise(got) && b + 1 < this.steps) {
      const promise = Promise.resolve(this.source.gather(this.indicesOf(b + 1)));
      promise.catch(() => {}); // reported when batch b + 1 is read
      this.ahead = { batch: b + 1, promise };
    }
    return got;
  }

  /** Frees the batch read ahead, if any. */
  async close(): Promise<void> {
    const a = this.ahead;
    this.ahead = undefined;
    if (!a) return;
    try {
      const { x, y } = await a.promise;
      tf.dispose([x, y]);
    } catch {
      // Its error belongs to a batch that will not be trained on.
    }
  }
}

/** Whether `v` is a promise (or another thenable). */
export function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as Promise<T>)?.then === 'function';
}
