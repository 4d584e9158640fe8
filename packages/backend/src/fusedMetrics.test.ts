import { describe, expect, it } from 'vitest';
import { tf } from './tfjs.js';
import { CATEGORICAL_ACCURACY, categoricalAccuracyValues, runCategoricalAccuracy } from './fusedMetrics.js';

describe('fused categorical accuracy (@nutshell/backend, cpu kernel)', () => {
  const pred = Float32Array.from([0.1, 0.7, 0.2, 5, 5, -1, NaN, 1, 2, -3, -2, -1]);

  it('1 where the first arg-max of the prediction is the class (ties to the first, a NaN never wins)', () => {
    const out = new Float32Array(4);
    categoricalAccuracyValues(Int32Array.from([1, 1, 0, 2]), true, pred, 3, out);
    // Row 1 ties 5 = 5 at classes 0 and 1 (arg-max 0); row 2's NaN at class 0 keeps arg-max 0, as tfjs's ArgMax.
    expect(Array.from(out)).toEqual([1, 0, 1, 1]);
    const oneHot = Float32Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1]);
    categoricalAccuracyValues(oneHot, false, pred, 3, out);
    expect(Array.from(out)).toEqual([1, 1, 0, 1]);
    categoricalAccuracyValues(Float32Array.from([1.9, 0, 0.2, 2]), true, pred, 3, out); // float indices truncate as Cast does
    expect(Array.from(out)).toEqual([1, 1, 1, 1]);
  });

  it('through the engine equals ArgMax, Equal and Cast; undefined for inputs it does not take; no leak', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const p = tf.tensor2d(pred, [4, 3]);
      const y = tf.tensor2d([0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1], [4, 3]);
      const ops = tf.cast(tf.equal(tf.argMax(y, -1), tf.argMax(p, -1)), 'float32');
      expect(Array.from(runCategoricalAccuracy(y, p)!.dataSync())).toEqual(Array.from(ops.dataSync()));
      expect(runCategoricalAccuracy(tf.zeros([4, 2]), p)).toBeUndefined();
      expect(runCategoricalAccuracy(y, tf.zeros([4, 3], 'int32'))).toBeUndefined();
      expect(runCategoricalAccuracy(tf.zeros([4, 3, 1]), tf.zeros([4, 3, 1]))).toBeUndefined();
      const config = tf.getKernel(CATEGORICAL_ACCURACY, 'cpu')!;
      tf.unregisterKernel(CATEGORICAL_ACCURACY, 'cpu');
      try {
        expect(runCategoricalAccuracy(y, p)).toBeUndefined();
      } finally {
        tf.registerKernel(config);
      }
      // Under a gradient tape the accuracy has a zero gradient (as ArgMax), not an error.
      const g = tf.grad((x: tf.Tensor) => tf.sum(runCategoricalAccuracy(y, x)!))(p);
      expect(Array.from(g.dataSync())).toEqual(new Array(12).fill(0));
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
