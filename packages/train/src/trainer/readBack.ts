import type { Tensor } from '@nutshell/tensor';

/** A trained batch whose statistics (loss, metrics, squared gradient norms) are still on the device. */
export interface PendingBatch {
  /**
   * `[loss, batch metrics…, squared gradient norms…]`: one tensor, or one tensor each whose mean (over all its values,
   * in float64) is the statistic. Owned here until read.
   */
  readonly stats: Tensor | readonly Tensor[];
  readonly epoch: number;
  readonly batch: number;
  readonly step: number;
  readonly size: number;
  readonly lr: number;
}

/**
 * Reads each step's statistics back from the device, `lag` steps behind: with 0, batch b is read right after it
 * is queued; with 1, after batch b + 1 is queued, so an asynchronous device (WebGPU) never idles waiting for the
 * read. `consume` gets the values in order; `dispose` frees a batch not read (training stopped or failed).
 */
export class ReadBack {
  private pending: PendingBatch | undefined;
  private readonly read: number[] = [];

  /**
   * `consume` gets each batch and its values (valid only during the call: the array is reused); a promise it returns
   * is waited for before the next batch is read.
   */
  constructor(
    private readonly lag: 0 | 1,
    private readonly consume: (batch: PendingBatch, values: ArrayLike<number>) => Promise<void> | undefined,
  ) {}

  /**
   * Hands over a just-queued batch; reads it now (lag 0) or the one before it (lag 1). Returns a promise only when
   * the read or `consume` is asynchronous (a synchronous backend with nobody listening needs no promise a step).
   */
  push(batch: PendingBatch): Promise<void> | undefined {
    if (this.lag === 0) {
      this.pending = batch;
      return this.flush();
    }
    try {
      return this.flush(); // takes the batch before this one off `pending` at once
    } finally {
      this.pending = batch; // even when that read throws, so that `dispose` frees this batch
    }
  }

  /** Reads the batch still waiting, if any (before a checkpoint and at the end of an epoch). */
  flush(): Promise<void> | undefined {
    const p = this.pending;
    if (!p) return undefined;
    this.pending = undefined;
    const parts = p.stats;
    if (Array.isArray(parts)) {
      // On a backend that reads synchronously (the Trainer stacks the scalars elsewhere).
      const values = this.read;
      if (values.length !== parts.length) values.length = parts.length;
      for (let i = 0; i < parts.length; i++) {
        values[i] = mean(parts[i].dataSync());
        parts[i].dispose();
      }
      return this.consume(p, values);
    }
    const stacked = parts as Tensor;
    return stacked.data().then(
      (values) => {
        stacked.dispose();
        return this.consume(p, values);
      },
      (e: unknown) => {
        stacked.dispose();
        throw e;
      },
    );
  }

  /** Frees a batch not read. */
  dispose(): void {
    const stats = this.pending?.stats;
    if (Array.isArray(stats)) for (const t of stats) t.dispose();
    else (stats as Tensor | undefined)?.dispose();
    this.pending = undefined;
  }
}

/** The mean of `v` in float64 (a scalar's value itself). */
function mean(v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  return sum / v.length;
}
