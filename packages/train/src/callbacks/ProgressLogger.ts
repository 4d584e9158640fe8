import type { Callback } from './callback.js';
import type {
  BatchEndEvent,
  EpochEndEvent,
  EpochStartEvent,
  FitEndEvent,
  FitStartEvent,
} from '../trainer/events.js';

/** Epochs with fewer steps than this get no per-batch lines in `'lines'` mode, only their summary. */
const LINES_MIN_STEPS = 20;

/** How a `ProgressLogger` shows progress. @public */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'epochs' | 'none';

/** Where progress goes and in what form. @public */
export interface ProgressLoggerOptions {
  /**
   * `'bar'`: a live bar (cli-progress) on the terminal; `'lines'`: about ten plain lines per epoch plus a summary
   * per epoch (log files, CI, the browser console); `'epochs'`: the summary line per epoch only; `'none'`: only
   * `onProgress`. Default `'auto'`: a bar when
   * stderr is a terminal (Node), lines otherwise.
   */
  readonly mode?: ProgressMode;
  /** Where lines go (default `console.log`). */
  readonly log?: (line: string) => void;
  /** Called after every batch and epoch with the numbers shown: the browser-friendly form (draw your own bar). */
  readonly onProgress?: (update: ProgressUpdate) => void;
}

/** One progress update: where training is and the epoch's running means so far. @public */
export interface ProgressUpdate {
  /** 0-based epoch. */
  readonly epoch: number;
  /** Total epochs of the run. */
  readonly epochs: number;
  /** Batches done in this epoch. */
  readonly batchesDone: number;
  /** Batches per epoch. */
  readonly steps: number;
  /** Running means over the epoch so far: `loss` and each metric; at the epoch's end, its logs (`val_…` included). */
  readonly logs: Readonly<Record<string, number>>;
  /** Samples per second this epoch. */
  readonly samplesPerSec: number;
  /** Estimated seconds left in this epoch (0 at its end). */
  readonly etaSeconds: number;
  /** True for the update sent at the end of the epoch. */
  readonly epochDone: boolean;
}

/** Formats seconds as `1m 05s`, `42s` or `2h 03m`; `?` for a negative or non-finite value. @public */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** The part of cli-progress's SingleBar used here. */
interface Bar {
  start(total: number, value: number, payload: Record<string, string>): void;
  update(value: number, payload: Record<string, string>): void;
  stop(): void;
}

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : String(v));
const rate = (v: number): string => Math.round(v).toLocaleString('en-US');

/**
 * Shows training progress: a live bar (epoch, batch, loss, metrics, samples/s, ETA) on a terminal, plain lines
 * otherwise (about ten per long epoch, one summary per epoch), and every update as data to `onProgress` (for a
 * page to draw). The loss and metrics shown are running means over the epoch so far. `compile(...).fit` adds one
 * by default; `Trainer.fit` takes it in `callbacks`.
 * @example
 * ```ts
 * await trainer.fit({ x, y }, { epochs: 5, callbacks: [new ProgressLogger()] });
 * // epoch 1/5 done in 2s (12,800 samples/s): loss 0.3121, accuracy 0.9102, val_loss 0.2514, val_accuracy 0.9300
 * ```
 * @public
 */
export class ProgressLogger implements Callback {
  private readonly mode: Exclude<ProgressMode, 'auto'>;
  private readonly log: (line: string) => void;
  private readonly onProgress: ((update: ProgressUpdate) => void) | undefined;
  private bar: Bar | undefined;
  private makeBar: (() => Bar) | undefined;
  private epochs = 0;
  private steps = 0;
  private samples = 0;
  private epochStart = 0;
  private nextLineAt = 0;
  private sums: Record<string, number> = {};
  private seen = 0;

  /** Makes one with the given settings (see the class description for defaults). */
  constructor(options: ProgressLoggerOptions = {}) {
    this.mode =
      !options.mode || options.mode === 'auto' ? (stderrIsTerminal() ? 'bar' : 'lines') : options.mode;
    this.log = options.log ?? ((line) => console.log(line));
    this.onProgress = options.onProgress;
  }

  async onFitStart(e: FitStartEvent): Promise<void> {
    this.epochs = e.epochs;
    this.steps = e.stepsPerEpoch;
    this.samples = e.samples;
    if (e.initialStep > 0 && this.mode !== 'none')
      this.log(`resumed at epoch ${e.initialEpoch + 1}, step ${e.initialStep}`);
    if (this.mode === 'bar' && !this.makeBar) {
      // Loaded only for a terminal, and through a computed specifier so that bundlers (Vite, esbuild, webpack) do
      // not follow it (it needs Node's readline) into a browser bundle; Node resolves it from this package.
      const cliProgressModule = ['cli', 'progress'].join('-');
      const { default: cliProgress } = (await import(/* @vite-ignore */ cliProgressModule)) as {
        default: typeof import('cli-progress');
      };
      this.makeBar = () =>
        new cliProgress.SingleBar(
          {
            format:
              'epoch {epochText} |{bar}| batch {value}/{total} | {logs} | {sps} samples/s | ETA {eta_formatted}',
            barsize: 24,
            hideCursor: true,
            clearOnComplete: false,
            etaBuffer: 50,
            fps: 8,
          },
          cliProgress.Presets.shades_classic,
        );
    }
  }

  onEpochStart(e: EpochStartEvent): void {
    this.epochStart = now();
    this.nextLineAt = 0;
    this.sums = {};
    this.seen = 0;
    if (this.makeBar) {
      this.bar = this.makeBar();
      this.bar.start(this.steps, 0, { epochText: `${e.epoch + 1}/${this.epochs}`, logs: 'loss -', sps: '-' });
    }
  }

  onBatchEnd(e: BatchEndEvent): void {
    this.sums.loss = (this.sums.loss ?? 0) + e.loss * e.size;
    for (const [k, v] of Object.entries(e.metrics)) this.sums[k] = (this.sums[k] ?? 0) + v * e.size;
    this.seen += e.size;
    const logs: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.sums)) logs[k] = v / this.seen;
    const done = e.batch + 1;
    const elapsed = (now() - this.epochStart) / 1000;
    // A resumed epoch starts mid-way: estimate from the batches this process has timed.
    const eta =
      this.steps > done && elapsed > 0 && e.samplesPerSec > 0
        ? ((this.steps - done) * e.size) / e.samplesPerSec
        : 0;
    this.onProgress?.({
      epoch: e.epoch,
      epochs: this.epochs,
      batchesDone: done,
      steps: this.steps,
      logs,
      samplesPerSec: e.samplesPerSec,
      etaSeconds: eta,
      epochDone: false,
    });
    const text = Object.entries(logs)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join('  ');
    if (this.bar) {
      this.bar.update(done, { logs: text.replace(/ {2}/g, ' | '), sps: rate(e.samplesPerSec) });
      return;
    }
    if (this.mode === 'lines' && this.steps >= LINES_MIN_STEPS && done >= this.nextLineAt) {
      this.log(
        `epoch ${e.epoch + 1}/${this.epochs}  batch ${done}/${this.steps}  ${text}  ${rate(e.samplesPerSec)} samples/s  ETA ${formatDuration(eta)}`,
      );
      this.nextLineAt = done + Math.max(1, Math.ceil(this.steps / 10));
    }
  }

  onEpochEnd(e: EpochEndEvent): void {
    this.stopBar();
    const sps = e.seconds > 0 ? this.samples / e.seconds : 0;
    this.onProgress?.({
      epoch: e.epoch,
      epochs: this.epochs,
      batchesDone: this.steps,
      steps: this.steps,
      logs: e.logs,
      samplesPerSec: sps,
      etaSeconds: 0,
      epochDone: true,
    });
    if (this.mode === 'none') return;
    const parts = Object.entries(e.logs).map(([k, v]) => `${k} ${fmt(v)}`);
    this.log(
      `epoch ${e.epoch + 1}/${this.epochs} done in ${formatDuration(e.seconds)} (${rate(sps)} samples/s): ${parts.join(', ')}`,
    );
  }

  onFitEnd(e: FitEndEvent): void {
    this.stopBar();
    if (e.history.stopped && this.mode !== 'none') this.log(`stopped: ${e.history.stopped.reason}`);
  }

  /** Stops a live bar (training ended by an error, say); the Trainer calls the other hooks. */
  stopBar(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function stderrIsTerminal(): boolean {
  const p = (globalThis as { process?: { stderr?: { isTTY?: boolean } } }).process;
  return p?.stderr?.isTTY === true;
}
