import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CATEGORICAL_ACCURACY,
  SOFTMAX_CROSS_ENTROPY,
  runCategoricalAccuracy,
  runSoftmaxCrossEntropy,
  tf,
  useBackend,
} from '@nutshell/backend';
import type { Tensor } from '@tensorflow/tfjs-core';
import '../index.js';

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

/** The loss and its gradient with respect to the logits on the current backend, read back. */
function lossAndGrad(z: Tensor, y: Tensor, reduction: 'none' | 'sum' | 'mean') {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((x: Tensor) => runSoftmaxCrossEntropy(x, y, reduction)!)(z);
    return { value: Array.from(value.dataSync()), grad: Array.from(grad.dataSync()) };
  });
}

/** The same through wasm's own kernels: log-softmax, product and sums. */
function opsLossAndGrad(z: Tensor, y: Tensor, reduction: 'none' | 'sum' | 'mean') {
  return tf.tidy(() => {
    const dense = y.rank === 2 ? y : tf.oneHot(tf.cast(y, 'int32'), z.shape[1] as number, 1, 0, 'float32');
    const f = (x: Tensor) => {
      const l = tf.neg(tf.sum(tf.mul(dense, tf.logSoftmax(x)), -1));
      return reduction === 'none' ? l : reduction === 'sum' ? tf.sum(l) : tf.div(tf.sum(l), z.shape[0]);
    };
    const { value, grad } = tf.valueAndGrad(f)(z);
    return { value: Array.from(value.dataSync()), grad: Array.from(grad.dataSync()) };
  });
}

describe('the fused softmax cross-entropy and accuracy on wasm', () => {
  it('are registered for wasm, and equal wasm’s own kernels to float32 rounding (batch 64 × 10 and 7 × 1,000)', () => {
    expect(tf.getKernel(SOFTMAX_CROSS_ENTROPY, 'wasm')).toBeDefined();
    for (const [batch, classes] of [
      [64, 10],
      [7, 1000],
    ]) {
      const z = tf.randomNormal([batch, classes], 0, 4, 'float32', batch);
      const labels = tf.tensor1d(
        Array.from({ length: batch }, (_, i) => (i * 37) % classes),
        'int32',
      );
      const soft = tf.softmax(tf.randomNormal([batch, classes], 0, 1, 'float32', 3));
      for (const y of [labels, soft])
        for (const reduction of ['none', 'sum', 'mean'] as const) {
          const before = tf.memory().numTensors;
          const fused = lossAndGrad(z, y, reduction);
          expect(tf.memory().numTensors).toBe(before);
          const ops = opsLossAndGrad(z, y, reduction);
          fused.value.forEach((v, i) =>
            expect(Math.abs(v - ops.value[i])).toBeLessThan(4e-6 * Math.max(1, Math.abs(ops.value[i]))),
          );
          fused.grad.forEach((g, i) => expect(Math.abs(g - ops.grad[i])).toBeLessThan(1e-6));
        }
      tf.dispose([z, labels, soft]);
    }
  });

  it('accuracy: 1 where the arg-maxes agree, as ArgMax/Equal/Cast give', () => {
    expect(tf.getKernel(CATEGORICAL_ACCURACY, 'wasm')).toBeDefined();
    tf.tidy(() => {
      const p = tf.randomNormal([64, 10], 0, 1, 'float32', 9);
      const labels = tf.tensor1d(
        Array.from({ length: 64 }, (_, i) => i % 10),
        'int32',
      );
      const y = tf.oneHot(labels, 10, 1, 0, 'float32');
      const ops = Array.from(tf.cast(tf.equal(labels, tf.argMax(p, -1)), 'float32').dataSync());
      expect(Array.from(runCategoricalAccuracy(labels, p)!.dataSync())).toEqual(ops);
      expect(Array.from(runCategoricalAccuracy(y, p)!.dataSync())).toEqual(ops);
      expect(ops.some((v) => v === 1) && ops.some((v) => v === 0)).toBe(true);
    });
  });
});
