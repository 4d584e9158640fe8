import type { Tensor } from '@nutshell/tensor';
import type { LabelsLike } from './confusionMatrix.js';
import { GradientFlowRecorder } from './gradientFlow.js';
import { writeRunReport, type RunReportInput } from './runReport.js';
import type { BatchRecord } from './batchCurves.js';

/** Options of {@link RunReporter}. @public */
export interface RunReporterOptions extends Omit<RunReportInput, 'history' | 'gradientNorms' | 'evaluation'> {
  /** Held-out data the model predicts at each epoch end, for the confusion matrix (needs `model.predict`). */
  readonly evaluationData?: { readonly x: Tensor; readonly y: LabelsLike };
  /** For a binary model's `[n, 1]` scores: class 1 above this (default 0, logits). */
  readonly binaryThreshold?: number;
  /** While training, the page reloads itself every n seconds (default 15); the final report does not. */
  readonly refreshSeconds?: number;
  /** Keep the gradient norms of every n-th step (default 1). */
  readonly gradientEvery?: number;
  /** Epochs already done (e.g. read back from the run folder when training resumes); new epochs are appended. */
  readonly initialHistory?: {
    readonly epochs: readonly number[];
    readonly logs: Readonly<Record<string, readonly number[]>>;
  };
  /** Called when writing the report fails (default: `console.warn`); training is never stopped by the report. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Keeps a run's `report.html` current while a model trains: subscribe it to a trainer and it records the history
 * and gradient norms, and rewrites the report (atomically) at each epoch end but the last, and once more, final,
 * when fitting ends. Node only (it writes files).
 *
 * @example
 * ```ts
 * const reporter = new RunReporter(runDir, { model, examples: testX.slice(0, 2), evaluationData: { x: testX, y: testY } });
 * reporter.attach(trainer);
 * await trainer.fit(data, { epochs: 3, batchSize: 64, trackGradientNorms: true });
 * await reporter.flush(); // report.html is final
 * ```
 * @public
 */
export class RunReporter {
  /** The history so far (epochs and their logs). */
  readonly history: { epochs: number[]; logs: Record<string, number[]> } = { epochs: [], logs: {} };
  /** The gradient norms recorded from `batchEnd` events. */
  readonly gradients: GradientFlowRecorder;
  /** Each training batch's loss and metrics, while fewer than two epochs have finished. */
  private batches: BatchRecord[] = [];
  /** The folder that receives `report.html`. */
  readonly runDir: string;
  private readonly opts: RunReporterOptions;
  private pending: Promise<void> = Promise.resolve();
  private queued = false;
  private finished = false;
  /** The fit's epoch count, from `fitStart` when attached: its last epoch is drawn once, by `fitEnd`. */
  private epochs: number | undefined;
  /** An epoch recorded but not yet drawn (the last one, waiting for `fitEnd`). */
  private undrawn = false;

  constructor(runDir: string, opts: RunReporterOptions = {}) {
    this.runDir = runDir;
    this.opts = opts;
    this.gradients = new GradientFlowRecorder({ every: opts.gradientEvery });
    if (opts.initialHistory) {
      this.history.epochs.push(...opts.initialHistory.epochs);
      for (const [k, v] of Object.entries(opts.initialHistory.logs)) this.history.logs[k] = [...v];
    }
  }

  /**
   * Subscribes to a trainer's `fitStart`, `batchEnd`, `epochEnd` and `fitEnd` events. Returns the reporter. The
   * report is redrawn at each epoch end except the last, which `fitEnd` draws once as the final report; call
   * `flush()` when the fit is over (also after a failed one) so an epoch recorded but not drawn is written.
   */
  attach(trainer: { on: (...args: any[]) => unknown }): this {
    trainer.on('fitStart', (e: { epochs: number }) => {
      this.epochs = e.epochs;
      this.finished = false;
    });
    trainer.on(
      'batchEnd',
      (e: {
        step: number;
        loss?: number;
        metrics?: Record<string, number>;
        gradNorms?: Record<string, number>;
      }) => {
        this.gradients.record(e);
        if (typeof e.loss === 'number') this.recordBatch({ step: e.step, loss: e.loss, metrics: e.metrics });
      },
    );
    // Returning the write lets a trainer that awaits handlers (as @nutshell/train's does) keep the weights still
    // while the report reads them; write errors are caught inside, so this never rejects.
    trainer.on('epochEnd', (e: { epoch: number; logs: Record<string, number>; lr?: number }) => {
      this.epochEnd(e);
      return this.pending;
    });
    trainer.on('fitEnd', () => {
      this.fitEnd();
      return this.pending;
    });
    return this;
  }

  /** Records one training batch's loss and metrics (for the per-batch curves of a run's first epoch). */
  recordBatch(r: BatchRecord): void {
    // Only the first epochs are drawn per batch; keep at most 4,000 points by halving the resolution when full.
    if (this.history.epochs.length >= 2) return;
    this.batches.push(r);
    if (this.batches.length > 4000) this.batches = this.batches.filter((_, i) => i % 2 === 1);
  }

  /** Records one finished epoch and schedules a rewrite of the report. */
  epochEnd(e: { epoch: number; logs: Readonly<Record<string, number>>; lr?: number }): void {
    this.history.epochs.push(e.epoch);
    const logs = { ...e.logs, ...(e.lr != null && !('lr' in e.logs) ? { lr: e.lr } : {}) };
    const n = this.history.epochs.length;
    for (const [k, v] of Object.entries(logs)) {
      const series = (this.history.logs[k] ??= []);
      while (series.length < n - 1) series.push(NaN);
      series.push(v);
    }
    // The fit's last epoch is drawn by fitEnd, as the final report: drawing it here too doubled the cost of a
    // one-epoch run's report (every figure rendered, the evaluation samples predicted, twice in a row).
    if (this.epochs !== undefined && e.epoch + 1 >= this.epochs) this.undrawn = true;
    else this.schedule();
  }

  /** Marks training finished and schedules the final (non-reloading) report. */
  fitEnd(): void {
    this.finished = true;
    this.undrawn = false;
    this.schedule();
  }

  /** Resolves when every scheduled write has finished; first schedules one for an epoch recorded but not drawn. */
  flush(): Promise<void> {
    if (this.undrawn) {
      this.undrawn = false;
      this.schedule();
    }
    return this.pending;
  }

  private schedule(): void {
    if (this.history.epochs.length === 0 || this.queued) return;
    this.queued = true;
    this.pending = this.pending.then(async () => {
      this.queued = false;
      try {
        await this.write();
      } catch (e) {
        (
          this.opts.onError ??
          ((err) => console.warn(`RunReporter: could not write the report: ${(err as Error).message}`))
        )(e);
      }
    });
  }

  private async write(): Promise<void> {
    const { evaluationData, refreshSeconds, model } = this.opts;
    let predictions: Tensor | undefined;
    try {
      if (evaluationData && model?.predict) predictions = model.predict(evaluationData.x, { batchSize: 256 });
      const input: RunReportInput = {
        ...this.opts,
        history: this.history,
        gradientNorms: this.gradients.records,
        batches: this.batches,
        evaluation:
          predictions && evaluationData
            ? { labels: evaluationData.y, predictions, binaryThreshold: this.opts.binaryThreshold }
            : undefined,
      };
      await writeRunReport(this.runDir, input, {
        refreshSeconds: this.finished ? undefined : (refreshSeconds ?? 15),
      });
    } finally {
      predictions?.dispose();
    }
  }
}
