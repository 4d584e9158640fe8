// The training runs: a small MLP and a LeNet-shaped CNN on the 8×8 digits, written with tfjs ops so the
// suite depends on nothing above the backend. Same seeded weights and batches on every backend.
import { tf } from '@nutshell/backend';
import { Rng } from '@nutshell/tensor';
import type { Tensor, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs-core';
import type { DigitsData } from './report.js';

/**
 * A loss curve and how well the model fits the batches it was trained on at the end.
 * @public
 */
export interface TrainingCurve {
  readonly losses: number[];
  readonly accuracy: number;
}

/**
 * A training run of the suite: its loss curve on the backend must match the CPU backend's step by step and
 * fall below `mustReach` times its first value.
 * @public
 */
export interface TrainingCase {
  readonly name: string;
  /** Largest mixed error allowed between the loss curves of the backend and the CPU reference. */
  readonly tolerance: number;
  /** The run must bring the loss below this fraction of its first value. */
  readonly mustReach: number;
  /** Trains from fixed seeded weights on fixed batches; must dispose everything it made. */
  readonly train: (digits: DigitsData) => Promise<TrainingCurve>;
}

function glorot(rng: Rng, shape: number[]): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const receptive = shape.length === 4 ? shape[0] * shape[1] : 1;
  const fanIn = (shape.length === 4 ? shape[2] : shape[0]) * receptive;
  const fanOut = shape[shape.length - 1] * receptive;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: size }, () => Math.fround((rng.nextFloat() * 2 - 1) * limit));
}

function variables(seed: number, shapes: Record<string, number[]>): Record<string, Variable> {
  const rng = new Rng(seed);
  const out: Record<string, Variable> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const init = shape.length === 1 ? new Float32Array(shape[0]) : glorot(rng, shape);
    const value = tf.tensor(init, shape);
    out[name] = tf.variable(value, true);
    value.dispose();
  }
  return out;
}

/** Fixed batches of `size` drawn from a seeded permutation of the first `n` digits. */
function batches(digits: DigitsData, n: number, size: number, count: number, seed: number): Int32Array[] {
  const rng = new Rng(seed);
  const order = Int32Array.from({ length: Math.min(n, digits.n) }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return Array.from({ length: count }, (_, b) =>
    Int32Array.from({ length: size }, (_, k) => order[(b * size + k) % order.length]),
  );
}

async function fit(
  weights: Record<string, Variable>,
  forward: (x: Tensor) => Tensor,
  makeBatch: (idx: Int32Array) => { x: Tensor; y: Tensor },
  plan: Int32Array[],
  optimizer: tf.Optimizer,
): Promise<TrainingCurve> {
  const losses: number[] = [];
  try {
    for (const idx of plan) {
      const { x, y } = makeBatch(idx);
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)) as tf.Scalar, true)!;
      losses.push((await loss.data())[0]);
      tf.dispose([x, y, loss]);
    }
    const all = new Int32Array(plan.flatMap((b) => Array.from(b)));
    const { x, y } = makeBatch(all);
    const right = tf.tidy(() =>
      tf.sum(tf.cast(tf.equal(tf.argMax(forward(x), 1), tf.argMax(y, 1)), 'float32')),
    );
    const accuracy = (await right.data())[0] / all.length;
    tf.dispose([x, y, right]);
    return { losses, accuracy };
  } finally {
    optimizer.dispose();
    tf.dispose(Object.values(weights));
  }
}

function labels(digits: DigitsData, idx: Int32Array): Tensor2D {
  const y = new Float32Array(idx.length * 10);
  idx.forEach((k, i) => (y[i * 10 + digits.y[k]] = 1));
  return tf.tensor2d(y, [idx.length, 10]);
}

/** 64 → 32 tanh → 10, SGD, mini-batches of 64. */
export const MLP_RUN: TrainingCase = {
  name: 'MLP on the 8×8 digits (loss curve vs CPU)',
  tolerance: 1e-4,
  mustReach: 0.3,
  train: async (digits) => {
    const w = variables(7, { w1: [64, 32], b1: [32], w2: [32, 10], b2: [10] });
    const forward = (x: Tensor) =>
      tf.add(
        tf.matMul(tf.tanh(tf.add(tf.matMul(x as Tensor2D, w.w1 as Tensor2D), w.b1)), w.w2 as Tensor2D),
        w.b2,
      );
    const makeBatch = (idx: Int32Array) => {
      const x = new Float32Array(idx.length * 64);
      idx.forEach((k, i) => {
        for (let p = 0; p < 64; p++) x[i * 64 + p] = digits.x[k * 64 + p] / 16;
      });
      return { x: tf.tensor2d(x, [idx.length, 64]), y: labels(digits, idx) };
    };
    return fit(w, forward, makeBatch, batches(digits, digits.n, 64, 60, 11), tf.train.sgd(0.5));
  },
};

/** Each 8×8 digit upsampled ×2 (nearest) to 16×16: LeNet's two 5×5 valid convolutions and 2×2 pools leave 1×1×16. */
function lenetImages(digits: DigitsData, idx: Int32Array): Tensor4D {
  const out = new Float32Array(idx.length * 256);
  idx.forEach((k, i) => {
    for (let r = 0; r < 16; r++)
      for (let c = 0; c < 16; c++)
        out[i * 256 + r * 16 + c] = digits.x[k * 64 + (r >> 1) * 8 + (c >> 1)] / 16;
  });
  return tf.tensor4d(out, [idx.length, 16, 16, 1]);
}

/**
 * LeNet: conv 5×5×8 relu → maxpool 2 → conv 5×5×16 relu → maxpool 2 → dense 10; Adam, 20 batches of 16.
 * Kept small because tfjs's CPU backend, the reference, computes conv2d's filter gradient slowly.
 */
export const LENET_RUN: TrainingCase = {
  name: 'LeNet CNN on the digits (loss curve vs CPU)',
  tolerance: 1e-3,
  mustReach: 0.6,
  train: async (digits) => {
    const w = variables(13, {
      c1: [5, 5, 1, 8],
      b1: [8],
      c2: [5, 5, 8, 16],
      b2: [16],
      d: [16, 10],
      bd: [10],
    });
    const forward = (x: Tensor) => {
      let h = tf.relu(tf.add(tf.conv2d(x as Tensor4D, w.c1 as Tensor4D, 1, 'valid'), w.b1));
      h = tf.maxPool(h as Tensor4D, 2, 2, 'valid');
      h = tf.relu(tf.add(tf.conv2d(h as Tensor4D, w.c2 as Tensor4D, 1, 'valid'), w.b2));
      h = tf.maxPool(h as Tensor4D, 2, 2, 'valid');
      return tf.add(tf.matMul(tf.reshape(h, [x.shape[0], 16]), w.d as Tensor2D), w.bd);
    };
    const makeBatch = (idx: Int32Array) => ({ x: lenetImages(digits, idx), y: labels(digits, idx) });
    return fit(w, forward, makeBatch, batches(digits, 320, 16, 20, 17), tf.train.adam(0.02));
  },
};

/** The training runs, in report order. */
export const TRAINING_CASES: readonly TrainingCase[] = [MLP_RUN, LENET_RUN];
