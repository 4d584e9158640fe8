import { describe, expect, it } from 'vitest';
import { tf } from './tfjs.js';
import {
  ADAM_UPDATE,
  SGD_UPDATE,
  adamUpdateValues,
  runFusedUpdate,
  sgdUpdateValues,
} from './fusedOptimizers.js';

const w = Float32Array.from([1, -2, 0.5, 3e-5]);
const g = Float32Array.from([0.5, -0.1, 2, -7e-4]);
const m = Float32Array.from([0.1, 0, -0.3, 1e-6]);
const v = Float32Array.from([0.01, 0.2, 0, 4e-9]);

describe('fused optimizer updates (@nutshell/backend, cpu kernels)', () => {
  it('Adam: m′, v′, w′ as worked out by hand in float64, to float32 precision', () => {
    const out = [new Float32Array(4), new Float32Array(4), new Float32Array(4)];
    const a = {
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      stepSize: 0.01 / (1 - 0.9),
      invRootCorrection: 1 / Math.sqrt(1 - 0.999),
      decay: 0.001,
    };
    adamUpdateValues(w, g, m, v, out[0], out[1], out[2], a);
    for (let i = 0; i < 4; i++) {
      const m1 = 0.9 * m[i] + 0.1 * g[i];
      const v1 = 0.999 * v[i] + 0.001 * g[i] * g[i];
      const w1 = w[i] - (a.stepSize * m1) / (Math.sqrt(v1) * a.invRootCorrection + 1e-8) - 0.001 * w[i];
      expect(out[1][i]).toBeCloseTo(m1, 6);
      expect(out[2][i]).toBeCloseTo(v1, 8);
      expect(Math.abs(out[0][i] - w1)).toBeLessThan(1e-6 * Math.max(1, Math.abs(w1)));
    }
  });

  it('SGD with Nesterov momentum: velocity′ = μv + g, w′ = w − lr·(g + μ·velocity′)', () => {
    const outW = new Float32Array(4);
    const outV = new Float32Array(4);
    sgdUpdateValues(w, g, m, outW, outV, { learningRate: 0.1, momentum: 0.9, nesterov: true });
    for (let i = 0; i < 4; i++) {
      const vel = 0.9 * m[i] + g[i];
      expect(outV[i]).toBeCloseTo(vel, 6);
      expect(outW[i]).toBeCloseTo(w[i] - 0.1 * (g[i] + 0.9 * vel), 6);
    }
  });

  it('runs on the cpu backend, and leaves non-float32 inputs and unknown kernels to the caller', () => {
    expect(tf.getBackend()).toBe('cpu');
    const before = tf.memory().numTensors;
    const [W, G] = [tf.tensor1d(w), tf.tensor1d(g)];
    const out = runFusedUpdate(
      SGD_UPDATE,
      { w: W, g: G },
      { learningRate: 0.5, momentum: 0, nesterov: false },
    )!;
    const ops = tf.tidy(() => tf.sub(W, tf.mul(G, tf.scalar(0.5))));
    expect(Array.from(out[0].dataSync())).toEqual(Array.from(ops.dataSync()));
    const I = tf.tensor1d([1, 2, 3, 4], 'int32');
    expect(
      runFusedUpdate(SGD_UPDATE, { w: I, g: G }, { learningRate: 0.5, momentum: 0, nesterov: false }),
    ).toBeUndefined();
    expect(runFusedUpdate('NoSuchFusedKernel', { w: W, g: G }, {})).toBeUndefined();
    expect(tf.getKernel(ADAM_UPDATE, 'cpu')).toBeDefined();
    tf.dispose([W, G, I, ops, ...out]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
