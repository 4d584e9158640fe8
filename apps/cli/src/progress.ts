import cliProgress from 'cli-progress';

/** Epochs with fewer steps than this get no per-batch lines when the output is not a terminal. */
const PLAIN_LINES_MIN_STEPS = 20;

/** What the progress display is told after each batch. */
export interface BatchProgress {
  readonly epoch: number; // 0-based
  readonly batch: number; // 0-based within the epoch
  readonly loss: number; // running mean over the epoch so far
  readonly accuracy?: number; // running mean over the epoch so far
  readonly samplesPerSec: number;
}

/** Formats seconds as `1m 05s` / `42s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Shows training progress: a live bar (epoch, batch, loss, accuracy, samples/s, ETA) when the output is a
 * terminal, plain log lines (about ten per epoch) otherwise, so logs and CI output stay readable.
 */
export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private epochs = 0;
  private steps = 0;
  private samples = 0;
  private epochStart = 0;
  private nextLogAt = 0;

  constructor(
    private readonly tty: boolean,
    private readonly log: (line: string) => void,
  ) {}

  /** Called once before training: epochs, batches per epoch and samples per epoch. */
  start(epochs: number, stepsPerEpoch: number, samples: number): void {
    this.epochs = epochs;
    this.steps = stepsPerEpoch;
    this.samples = samples;
  }

  /** Called when an epoch begins. */
  beginEpoch(epoch: number): void {
    this.epochStart = performance.now();
    this.nextLogAt = 0;
    if (this.tty) {
      this.bar = new cliProgress.SingleBar(
        {
          format:
            'epoch {epochText} |{bar}| batch {value}/{total} | loss {loss} | acc {acc} | {sps} samples/s | ETA {eta_formatted}',
          barsize: 24,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
          fps: 8,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.steps, 0, {
        epochText: `${epoch + 1}/${this.epochs}`,
        loss: '-',
        acc: '-',
        sps: '-',
      });
    }
  }

  /** Called after each batch. */
  update(p: BatchProgress): void {
    const done = p.batch + 1;
    const loss = p.loss.toFixed(4);
    const acc = p.accuracy === undefined ? '-' : p.accuracy.toFixed(4);
    const sps = Math.round(p.samplesPerSec).toLocaleString('en-US');
    if (this.bar) {
      this.bar.update(done, { loss, acc, sps });
      return;
    }
    // Plain lines: about ten per epoch, for epochs long enough to need them; short epochs get their summary only.
    if (this.steps >= PLAIN_LINES_MIN_STEPS && done >= this.nextLogAt) {
      const elapsed = (performance.now() - this.epochStart) / 1000;
      const eta = (elapsed / done) * (this.steps - done);
      this.log(
        `epoch ${p.epoch + 1}/${this.epochs}  batch ${done}/${this.steps}  loss ${loss}  acc ${acc}  ${sps} samples/s  ETA ${formatDuration(eta)}`,
      );
      this.nextLogAt = done + Math.max(1, Math.ceil(this.steps / 10));
    }
  }

  /** Called when an epoch ends, with its logs (loss, accuracy, val_…) and duration. */
  endEpoch(epoch: number, logs: Record<string, number>, seconds: number): void {
    this.bar?.stop();
    this.bar = null;
    const parts = Object.entries(logs).map(([k, v]) => `${k} ${v.toFixed(4)}`);
    const rate = Math.round(this.samples / seconds).toLocaleString('en-US');
    this.log(
      `epoch ${epoch + 1}/${this.epochs} done in ${formatDuration(seconds)} (${rate} samples/s): ${parts.join(', ')}`,
    );
  }

  /** Stops the bar (e.g. on an error). */
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
