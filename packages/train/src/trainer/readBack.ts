import type { Tensor } from '@nutshell/tensor';

/** A trained batch whose statistics (loss, metrics, squared gradient norms) are still on the device. */
export interface PendingBatch {
  /** `[loss, batch metrics…, squared gradient norms…]`, owned here until read. */
  readonly stats: Tensor;
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

  constructor(
    private readonly lag: 0 | 1,
    private readonly consume: (batch: PendingBatch, values: ArrayLike<number>) => Promise<void>,
  ) {}

  /** Hands over a just-queued batch; reads it now (lag 0) or the one before it (lag 1). */
  async push(batch: PendingBatch): Promise<void> {
    if (this.lag === 0) {
      this.pending = batch;
      await this.flush();
    } else {
      await this.flush();
      this.pending = batch;
    }
  }

  /** Reads the batch still waiting, if any (before a checkpoint and at the end of an epoch). */
  async flush(): Promise<void> {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const values = await p.stats.data();
    p.stats.dispose();
    await this.consume(p, values);
  }

  /** Frees a batch not read. */
  dispose(): void {
    this.pending?.stats.dispose();
    this.pending = undefined;
  }
}
