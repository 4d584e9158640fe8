import { tf, type Tensor, type Variable } from '@nutshell/tensor';
import type { BatchEndEvent, Callback, EpochEndEvent, Loss, TrainingContext } from '@nutshell/train';
import { filterImage } from './filterImage.js';
import { histogram } from './histogram.js';
import { SummaryWriter } from './SummaryWriter.js';

/** A fixed batch on which the gradient histograms are computed at each epoch end. @public */
export interface GradientProbe {
  /** Inputs, as the model takes them. */
  readonly x: Tensor;
  /** Targets, as the loss takes them. */
  readonly y: Tensor;
  /** The training loss. */
  readonly loss: Loss;
}

/** Options of the `TensorBoard` callback. @public */
export interface TensorBoardOptions {
  /** Write `batch/*` scalars every this many steps (0: none). Default 1, every step. */
  readonly batchEvery?: number;
  /** Write weight (and gradient) histograms and filter images every this many epochs (0: never). Default 1. */
  readonly histogramEvery?: number;
  /** Histogram buckets. Default 30. */
  readonly buckets?: number;
  /**
   * A batch to compute gradient histograms on (the trainer does not hand its gradients to callbacks): at each
   * histogram epoch, the gradient of `loss(y, model(x))` for every trainable weight, in inference mode.
   * Without it, only weight histograms are written.
   */
  readonly gradients?: GradientProbe;
  /** Write the first convolution kernel's filters as an image. Default true. */
  readonly images?: boolean;
  /**
   * The shape of one input image, `[height, width, channels]`. When the model's first kernel is a Dense one over
   * the flattened image (`[h·w·c, units]`, an MLP on images), each unit's weights are drawn as an image too.
   */
  readonly inputImageShape?: readonly [number, number, number];
}

/**
 * A training callback that writes TensorBoard logs into `logDir` (run `tensorboard --logdir <logDir>`):
 *
 * - `batch/loss`, `batch/<metric>`, `batch/lr` (and `batch/grad_norm/<weight>` when the trainer tracks gradient
 *   norms) at every step, the step being the trainer's global step;
 * - `epoch/<key>` for every key of the epoch's logs (loss, metrics, `val_*`) and `epoch/lr`, the step being the
 *   epoch (from 1);
 * - `weights/<name>` histograms and, with a `gradients` probe, `gradients/<name>` histograms at each epoch end;
 * - `filters/<weight>`: the first layer's kernel as an image: a 2-D convolution's filters, or (with
 *   `inputImageShape`) a Dense layer's units over the flattened image.
 *
 * Each fit writes a new event file (TensorBoard merges every file in the folder). Node only. Throws `LogDirError`
 * on construction when `logDir` is a file.
 * @public
 */
export class TensorBoard implements Callback {
  /** The event file being written. */
  readonly writer: SummaryWriter;
  private readonly batchEvery: number;
  private readonly histogramEvery: number;
  private readonly buckets: number;
  private readonly probe?: GradientProbe;
  private readonly images: boolean;
  private readonly inputImageShape?: readonly [number, number, number];

  constructor(
    readonly logDir: string,
    options: TensorBoardOptions = {},
  ) {
    this.writer = new SummaryWriter(logDir);
    this.batchEvery = options.batchEvery ?? 1;
    this.histogramEvery = options.histogramEvery ?? 1;
    this.buckets = options.buckets ?? 30;
    this.probe = options.gradients;
    this.images = options.images ?? true;
    this.inputImageShape = options.inputImageShape;
  }

  onBatchEnd(e: BatchEndEvent): void {
    if (this.batchEvery === 0 || (e.step + 1) % this.batchEvery !== 0) return;
    const w = this.writer;
    w.scalar('batch/loss', e.loss, e.step);
    for (const [k, v] of Object.entries(e.metrics)) w.scalar(`batch/${k}`, v, e.step);
    w.scalar('batch/lr', e.lr, e.step);
    for (const [k, v] of Object.entries(e.gradNorms ?? {})) w.scalar(`batch/grad_norm/${k}`, v, e.step);
  }

  async onEpochEnd(e: EpochEndEvent, ctx: TrainingContext): Promise<void> {
    const w = this.writer;
    const step = e.epoch + 1;
    for (const [k, v] of Object.entries(e.logs)) w.scalar(`epoch/${k}`, v, step);
    w.scalar('epoch/lr', e.lr, step);
    if (this.histogramEvery > 0 && step % this.histogramEvery === 0) await this.histograms(ctx, step);
    w.flush();
  }

  onFitEnd(): void {
    this.writer.close();
  }

  private async histograms(ctx: TrainingContext, step: number): Promise<void> {
    const w = this.writer;
    let drewFilters = !this.images;
    const pixels = this.inputImageShape?.reduce((a, b) => a * b, 1);
    for (const weight of ctx.model.weights) {
      const values = (await weight.variable.data()) as Float32Array;
      const shape = weight.variable.shape;
      w.histogram(`weights/${weight.name}`, histogram(values, this.buckets), step);
      if (!drewFilters && shape.length === 4) {
        w.image(`filters/${weight.name}`, filterImage(values, shape), step);
      } else if (
        !drewFilters &&
        shape.length === 2 &&
        shape[0] === pixels &&
        weight.name.endsWith('kernel')
      ) {
        // [h·w·c, units] is, row-major, the same array as [h, w, c, units]: one image per unit, drawn 1:1.
        w.image(`filters/${weight.name}`, filterImage(values, [...this.inputImageShape!, shape[1]], 1), step);
      } else if (shape.length < 2) continue;
      drewFilters = true; // only the first layer's kernel
    }
    if (this.probe) {
      const trainable = ctx.model.trainableWeights;
      const { x, y, loss } = this.probe;
      const { value, grads } = tf.variableGrads(
        () => loss(y, ctx.model.apply(x, { training: false })) as tf.Scalar,
        trainable.map((t) => t.variable as Variable),
      );
      try {
        const byVariable = new Map(Object.entries(grads));
        for (const t of trainable) {
          const g = byVariable.get(t.variable.name);
          if (g)
            w.histogram(
              `gradients/${t.name}`,
              histogram((await g.data()) as Float32Array, this.buckets),
              step,
            );
        }
      } finally {
        tf.dispose([value, ...Object.values(grads)]);
      }
    }
  }
}
