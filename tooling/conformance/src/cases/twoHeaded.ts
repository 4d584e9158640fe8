// Several inputs and outputs through the Keras-style path: a graph Model reading the top and bottom halves of 64
// digits as two inputs, with two heads (the digit, 10 logits with sparse cross-entropy; whether it is ≥ 5, one
// logit with binary cross-entropy, weighted 0.5) and a metric per head, fitted with `compile(...).fit`. The
// total loss per epoch must match the CPU backend's and fall.
import type { DigitsData, TrainingCase, TrainingCurve } from '@nutshell/backend-conformance';
import { Concatenate, Dense, Model, input } from '@nutshell/layers';
import { binaryCrossentropy, compile, sparseCategoricalCrossentropy } from '@nutshell/train';
import { tf } from '@nutshell/tensor';

const N = 64;
const EPOCHS = 10;

function twoHeaded(): Model {
  const a = input([32], { name: 'top' });
  const b = input([32], { name: 'bottom' });
  const h = new Dense({ units: 16, activation: 'relu', seed: 5 }).apply(new Concatenate().apply([a, b]));
  const digit = new Dense({ units: 10, seed: 6, name: 'digit' }).apply(h);
  const big = new Dense({ units: 1, seed: 7, name: 'big' }).apply(h);
  return new Model({ inputs: [a, b], outputs: [digit, big] });
}

async function trainTwoHeaded(digits: DigitsData): Promise<TrainingCurve> {
  const pixels = digits.x.subarray(0, N * 64).map((v) => v / 16);
  const rows = (from: number) =>
    tf.tensor2d(
      Float32Array.from({ length: N * 32 }, (_, i) => pixels[Math.floor(i / 32) * 64 + from + (i % 32)]!),
      [N, 32],
    );
  const top = rows(0);
  const bottom = rows(32);
  const digit = tf.tensor1d(digits.y.subarray(0, N), 'int32');
  const big = tf.tensor2d(
    Float32Array.from(digits.y.subarray(0, N), (d) => (d >= 5 ? 1 : 0)),
    [N, 1],
  );
  const model = twoHeaded();
  const net = compile(model, {
    loss: {
      digit: sparseCategoricalCrossentropy({ fromLogits: true }),
      big: binaryCrossentropy({ fromLogits: true }),
    },
    lossWeights: { big: 0.5 },
    metrics: { digit: ['accuracy'], big: ['accuracy'] },
    optimizer: 'adam',
    learningRate: 0.02,
    log: () => {},
  });
  try {
    const history = await net.fit(
      { top, bottom },
      { digit, big },
      { epochs: EPOCHS, batchSize: N, shuffle: false, verbose: 0 },
    );
    return { losses: history.logs.loss, accuracy: history.logs.digit_accuracy.at(-1) ?? 0 };
  } finally {
    net.dispose();
    model.dispose();
    tf.dispose([top, bottom, digit, big]);
  }
}

export const TWO_HEADED_TRAINING: TrainingCase = {
  name: 'compile(model).fit: two inputs, two heads (sparse + binary cross-entropy, weighted), Adam on 64 digits, 10 epochs',
  tolerance: 1e-3,
  mustReach: 0.6,
  train: trainTwoHeaded,
};
