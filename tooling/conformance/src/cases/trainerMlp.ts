// The Trainer itself on the backend: a Dense MLP fitted on 64 of the 8×8 digits with train's own
// sparseCategoricalCrossentropy (from logits), Adam and the accuracy metric, as a user writes it. This is the path
// that reads back asynchronously (the first-batch label and range check, the loss a step late on WebGPU); the
// per-epoch loss curve must match the CPU backend's and fall.
import type { DigitsData, TrainingCase, TrainingCurve } from '@nutshell/backend-conformance';
import { Dense, Sequential } from '@nutshell/layers';
import { Adam, Trainer, sparseCategoricalCrossentropy } from '@nutshell/train';
import { tf } from '@nutshell/tensor';

const N = 64;
const EPOCHS = 12;

async function trainMlp(digits: DigitsData): Promise<TrainingCurve> {
  const x = tf.tensor2d(
    digits.x.subarray(0, N * 64).map((v) => v / 16),
    [N, 64],
  );
  const y = tf.tensor1d(digits.y.subarray(0, N), 'int32');
  const model = new Sequential(
    [new Dense({ units: 16, activation: 'relu', seed: 3 }), new Dense({ units: 10, seed: 4 })],
    {
      inputShape: [64],
    },
  );
  const trainer = new Trainer(model, {
    loss: sparseCategoricalCrossentropy({ fromLogits: true }),
    optimizer: new Adam({ learningRate: 0.02 }),
    metrics: ['accuracy'],
  });
  try {
    const history = await trainer.fit({ x, y }, { epochs: EPOCHS, batchSize: N, shuffle: false });
    return { losses: history.logs.loss, accuracy: history.logs.accuracy.at(-1) ?? 0 };
  } finally {
    trainer.dispose();
    model.dispose();
    tf.dispose([x, y]);
  }
}

export const TRAINER_MLP_TRAINING: TrainingCase = {
  name: 'Trainer.fit: Dense 64-16-10 with sparseCategoricalCrossentropy (logits) and Adam on 64 digits, 12 epochs',
  tolerance: 1e-3,
  mustReach: 0.6,
  train: trainMlp,
};
