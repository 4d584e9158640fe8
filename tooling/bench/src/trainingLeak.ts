// Counts the tensors left behind by N training steps of one workload with Nutshell's Trainer, on the backend that
// is current: tf.memory() after a one-step warm-up fit (which creates the optimizer's slots) against after the N
// steps. Shared by the leak-check script and its test.
import { BATCH, buildWorkload, type NutshellTree, type Workload } from './nutshellWorkload.js';

/** What {@link trainingLeak} measured. */
export interface LeakResult {
  workload: Workload;
  steps: number;
  tensorsBefore: number;
  tensorsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  /** numTensors at the end of step 10 and of the last step, inside the fit (a leak freed only at fit's end shows). */
  tensorsAtStep10: number;
  tensorsAtLastStep: number;
  seconds: number;
}

/**
 * Trains `steps` steps (batch 64, whole epochs over the first `steps / epochs × 64` MNIST images; `steps` must be
 * a multiple of `epochs`) after a one-step warm-up, and returns tf.memory() before and after.
 */
export async function trainingLeak(
  tree: NutshellTree,
  workload: Workload,
  steps: number,
  epochs = 2,
): Promise<LeakResult> {
  const { tf } = tree.backend;
  if (steps % epochs !== 0) throw new RangeError(`steps (${steps}) must be a multiple of epochs (${epochs})`);
  const perEpoch = steps / epochs;
  const train = tree.datasets.loadMnist({ split: 'train', limit: perEpoch * BATCH });
  const { trainer, model, dataset } = buildWorkload(tree, workload);
  const warmUp = tree.datasets.loadMnist({ split: 'train', limit: BATCH });
  await trainer.fit(dataset(warmUp), { epochs: 1, batchSize: BATCH, shuffle: false });
  const before = tf.memory();
  let counted = 0;
  let atStep10 = NaN;
  let atLastStep = NaN;
  const start = performance.now();
  await trainer.fit(dataset(train), {
    epochs,
    batchSize: BATCH,
    shuffle: true,
    seed: 1,
    callbacks: [
      {
        onBatchEnd: () => {
          counted++;
          if (counted === 10) atStep10 = tf.memory().numTensors;
          if (counted === steps) atLastStep = tf.memory().numTensors;
        },
      },
    ],
  });
  const seconds = (performance.now() - start) / 1000;
  const after = tf.memory();
  trainer.dispose();
  model.dispose();
  if (counted !== steps) throw new Error(`expected ${steps} steps, the Trainer ran ${counted}`);
  return {
    workload,
    steps,
    tensorsBefore: before.numTensors,
    tensorsAfter: after.numTensors,
    bytesBefore: before.numBytes,
    bytesAfter: after.numBytes,
    tensorsAtStep10: atStep10,
    tensorsAtLastStep: atLastStep,
    seconds,
  };
}
