// The LeNet training curve: Nutshell's own lenet() (Conv2D, MaxPool2D, Flatten, Dense) and Adam, with the
// softmax cross-entropy written out in ops (train's loss functions are checked by the loss cases and through the
// Trainer in trainerMlp.ts), on one batch of 32 of the 8×8 digits upscaled to 16×16. The loss curve must match the CPU
// backend's step by step and must fall.
import type { DigitsData, TrainingCase, TrainingCurve } from '@nutshell/backend-conformance';
import { lenet } from '@nutshell/conv';
import { Adam } from '@nutshell/train';
import { Rng, tf } from '@nutshell/tensor';

const STEPS = 15;
const BATCH = 32;
const SIDE = 16;

/** Digits `idx` as a [n, 16, 16, 1] batch (each pixel repeated 2×2, scaled to 0..1) and their labels. */
function batchOf(digits: DigitsData, idx: Int32Array): { x: tf.Tensor; y: tf.Tensor } {
  const x = new Float32Array(idx.length * SIDE * SIDE);
  idx.forEach((k, b) => {
    for (let r = 0; r < SIDE; r++)
      for (let c = 0; c < SIDE; c++)
        x[(b * SIDE + r) * SIDE + c] = digits.x[k * 64 + (r >> 1) * 8 + (c >> 1)] / 16;
  });
  return {
    x: tf.tensor4d(x, [idx.length, SIDE, SIDE, 1]),
    y: tf.tensor1d(
      Int32Array.from(idx, (k) => digits.y[k]),
      'int32',
    ),
  };
}

async function trainLenet(digits: DigitsData): Promise<TrainingCurve> {
  const model = lenet({
    inputShape: [SIDE, SIDE, 1],
    kernelSize: 3,
    filters: [4, 8],
    seed: 11,
    algorithm: 'direct',
  });
  const optimizer = new Adam({ learningRate: 0.03 });
  const loss = (y: tf.Tensor, logits: tf.Tensor) =>
    tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(y, 10), tf.logSoftmax(logits)), 1)));
  // One fixed batch (a seeded draw of 32 digits) seen every step: the curve must fall clearly, with no batch noise.
  const rng = new Rng(5);
  const idx = Int32Array.from({ length: BATCH }, () => rng.nextInt(digits.n));
  const losses: number[] = [];
  let correct = 0;
  let seen = 0;
  try {
    for (let step = 0; step < STEPS; step++) {
      const { x, y } = batchOf(digits, idx);
      if (step === 0) tf.dispose(model.apply(x)); // builds the weights before the optimizer sees them
      const weights = model.trainableWeights.map((w) => ({ name: w.name, variable: w.variable }));
      if (step === 0) optimizer.prepare(weights);
      const value = optimizer.minimize(() => loss(y, model.apply(x, { training: true })), weights);
      losses.push((await value.data())[0]);
      value.dispose();
      if (step === STEPS - 1) {
        const predicted = tf.tidy(() => tf.argMax(model.apply(x), 1));
        const [p, t] = [await predicted.data(), await y.data()];
        for (let i = 0; i < p.length; i++) correct += p[i] === t[i] ? 1 : 0;
        seen += p.length;
        predicted.dispose();
      }
      tf.dispose([x, y]);
    }
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  return { losses, accuracy: correct / seen };
}

export const LENET_TRAINING: TrainingCase = {
  name: "Nutshell's lenet() trained with Adam on 32 digits (16×16), 15 steps",
  tolerance: 1e-3,
  mustReach: 0.8,
  train: trainLenet,
};
