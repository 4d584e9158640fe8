// Test fixtures: a tiny MLP written with plain variables (independent of @nutshell/layers) and the 8×8 digits.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Rng, permutation, tf } from '@nutshell/tensor';
import type { Tensor, Variable } from '@nutshell/tensor';
import type { TrainableModel } from '../trainer/model.js';

/** A two-layer perceptron with seeded Glorot-uniform weights; outputs logits. */
export function tinyMlp(inputs: number, hidden: number, outputs: number, seed = 1): TrainableModel & { dispose(): void } {
  const rng = new Rng(seed);
  const glorot = (fanIn: number, fanOut: number): Variable => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const v = Float32Array.from({ length: fanIn * fanOut }, () => (rng.nextFloat() * 2 - 1) * limit);
    return tf.variable(tf.tensor2d(v, [fanIn, fanOut]));
  };
  const w1 = glorot(inputs, hidden);
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = glorot(hidden, outputs);
  const b2 = tf.variable(tf.zeros([outputs]));
  const weights = [
    { name: 'dense_1/kernel', variable: w1, trainable: true },
    { name: 'dense_1/bias', variable: b1, trainable: true },
    { name: 'dense_2/kernel', variable: w2, trainable: true },
    { name: 'dense_2/bias', variable: b2, trainable: true },
  ];
  return {
    name: 'tinyMlp',
    weights,
    trainableWeights: weights,
    apply: (x: Tensor) => tf.tidy(() => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.reshape(x, [x.shape[0], inputs]), w1), b1)), w2), b2)),
    regularizationLoss: () => null,
    dispose: () => weights.forEach((w) => w.variable.dispose()),
  };
}

/** The 1,797 8×8 digits (pixels 0–16 scaled to [0, 1]) and their labels, in a fixed shuffled order (the file
 * is ordered by writer, so its tail is not a fair test set). */
export function loadDigits(): { x: Float32Array; y: Int32Array; n: number } {
  const file = fileURLToPath(new URL('../test-fixtures/digits.csv.gz', import.meta.url));
  const rows = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
  const x = new Float32Array(rows.length * 64);
  const y = new Int32Array(rows.length);
  const order = permutation(rows.length, { seed: 2024 });
  Array.from(order, (k) => rows[k]).forEach((r, i) => {
    const v = r.split(',').map(Number);
    for (let j = 0; j < 64; j++) x[i * 64 + j] = v[j] / 16;
    y[i] = v[64];
  });
  return { x, y, n: rows.length };
}
