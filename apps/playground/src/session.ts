// One training run: shuffled mini-batches, Adam, cross-entropy on logits. Every read is asynchronous
// (`await t.data()`), so it runs on WebGPU, whose tensors cannot be read synchronously.
import { Rng, tf } from '@nutshell/tensor';
import { Adam, sparseCategoricalCrossentropy } from '@nutshell/train';
import { gather } from './data.js';
import type { DataSet } from './data.js';
import type { Cnn } from './model.js';

export interface SessionOptions {
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly seed?: number;
}

export class Session {
  readonly losses: number[] = [];
  readonly testAccuracy: { step: number; accuracy: number }[] = [];
  private readonly optimizer: Adam;
  private readonly loss = sparseCategoricalCrossentropy({ fromLogits: true });
  private readonly rng: Rng;
  private readonly batchSize: number;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;

  constructor(
    readonly data: DataSet,
    readonly cnn: Cnn,
    options: SessionOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 32;
    this.optimizer = new Adam({ learningRate: options.learningRate ?? 0.01 });
    this.rng = new Rng(options.seed ?? 1);
  }

  get step(): number {
    return this.losses.length;
  }

  private nextBatch(): number[] {
    if (this.cursor + this.batchSize > this.order.length) {
      this.order = Int32Array.from({ length: this.data.train }, (_, i) => i);
      for (let i = this.order.length - 1; i > 0; i--) {
        const j = this.rng.nextInt(i + 1);
        [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
      }
      this.cursor = 0;
    }
    const batch = Array.from(this.order.subarray(this.cursor, this.cursor + this.batchSize));
    this.cursor += this.batchSize;
    return batch;
  }

  /** One optimizer step on the next mini-batch; resolves to its loss. */
  async trainStep(): Promise<number> {
    const { x, y } = gather(this.data, this.nextBatch());
    try {
      const lossValue = this.optimizer.minimize(
        () => this.loss(y, this.cnn.model.apply(x, { training: true })),
        this.cnn.model.trainableWeights,
      );
      const value = (await lossValue.data())[0];
      lossValue.dispose();
      this.losses.push(value);
      return value;
    } finally {
      tf.dispose([x, y]);
    }
  }

  /** Accuracy on the held-out images. */
  async evaluate(): Promise<number> {
    let correct = 0;
    const total = this.data.n - this.data.train;
    for (let start = this.data.train; start < this.data.n; start += 256) {
      const idx = Array.from({ length: Math.min(256, this.data.n - start) }, (_, i) => start + i);
      const { x, y } = gather(this.data, idx);
      const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(this.cnn.model.apply(x), 1), y), 'int32')));
      correct += (await hits.data())[0];
      tf.dispose([x, y, hits]);
    }
    const accuracy = correct / total;
    this.testAccuracy.push({ step: this.step, accuracy });
    return accuracy;
  }

  /** Class probabilities for one image `[h × w]` in [0, 1]. */
  async predict(pixels: Float32Array): Promise<Float32Array> {
    const [h, w] = this.cnn.inputShape;
    const p = tf.tidy(() => tf.softmax(this.cnn.model.apply(tf.tensor4d(pixels, [1, h, w, 1]))));
    const values = (await p.data()) as Float32Array;
    p.dispose();
    return values;
  }

  dispose(): void {
    this.optimizer.dispose();
    this.cnn.model.dispose();
  }
}
