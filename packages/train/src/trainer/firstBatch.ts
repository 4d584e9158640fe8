/**
 * @file Running the model and the loss once on the first samples, before any training, so that a loss that
 * cannot take these targets fails with its own error before the first step (not inside it, half-way).
 */
import { tf, type Tensor } from '@nutshell/tensor';
import type { Loss } from '../losses/loss.js';
import { checkAfterReading } from '../losses/lossInputs.js';
import type { DataSource } from './dataSource.js';
import type { TrainableModel } from './model.js';

/** How many samples the value check looks at: enough that a model's logits almost surely leave [0, 1]. */
const FIRST_BATCH = 64;

async function onFirstBatch(
  source: DataSource,
  count: number,
  fn: (x: Tensor, y: Tensor) => void,
): Promise<void> {
  const { x, y } = await source.gather(
    Int32Array.from({ length: Math.min(source.size, count) }, (_, i) => i),
  );
  try {
    tf.tidy(() => fn(x, y));
  } finally {
    tf.dispose([x, y]);
  }
}

/**
 * The model's output shape and the size of one target, from the first sample, after checking that the loss
 * accepts the targets' shape (its `ShapeError` otherwise). Leaves no tensor behind. @internal
 */
export async function firstSampleShapes(
  model: TrainableModel,
  loss: Loss,
  source: DataSource,
): Promise<{ output: number[]; targetSize: number }> {
  let output: number[] = [];
  let targetSize = 0;
  await onFirstBatch(source, 1, (x, y) => {
    const out = model.apply(x, { training: false });
    output = out.shape;
    targetSize = y.size;
    loss.perSample(y, out);
  });
  return { output, targetSize };
}

/**
 * Runs the loss's value check (`checkInputs`) on the first samples: a probability loss given logits is a
 * `ConfigError` before training, not a model trained to chance. Leaves no tensor behind. @internal
 */
export async function checkLossValues(model: TrainableModel, loss: Loss, source: DataSource): Promise<void> {
  const check = loss.checkInputs;
  if (!check) return;
  const { x, y } = await source.gather(
    Int32Array.from({ length: Math.min(source.size, FIRST_BATCH) }, (_, i) => i),
  );
  let out: Tensor | undefined;
  try {
    out = tf.tidy(() => model.apply(x, { training: false }));
    // Read asynchronously: a synchronous read throws on WebGPU in Node.
    await checkAfterReading(check, y, out);
  } finally {
    tf.dispose([x, y, ...(out ? [out] : [])]);
  }
}
