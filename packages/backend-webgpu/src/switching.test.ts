// Moving between backends both ways. tfjs moves a tensor's data to the current backend when it is next used,
// with a synchronous read; WebGPU in Node cannot read synchronously, so useBackend reads webgpu's tensors back
// (asynchronously) before switching away.
import { afterAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import '@nutshell/backend-wasm';
import { createWebgpuBackend } from './index.js';

const plugin = createWebgpuBackend({ cpuForward: false });
const probe = await plugin.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

// Linear least squares: 6 samples of 2 features, targets from w* = [2, -1]; plain gradient descent.
const X = [
  [1, 0.5],
  [-0.5, 1],
  [0.25, -1],
  [1.5, 0.75],
  [-1, -0.25],
  [0.5, 2],
];
const Y = X.map(([a, b]) => 2 * a - b);
const RATE = 0.1;

/** w after `steps` of gradient descent on the mean squared error, in float64 on the host: the reference. */
function hostDescent(w0: number[], steps: number): number[] {
  const w = [...w0];
  for (let s = 0; s < steps; s++) {
    const g = [0, 0];
    for (let i = 0; i < X.length; i++) {
      const r = X[i][0] * w[0] + X[i][1] * w[1] - Y[i];
      g[0] += (2 * r * X[i][0]) / X.length;
      g[1] += (2 * r * X[i][1]) / X.length;
    }
    w[0] -= RATE * g[0];
    w[1] -= RATE * g[1];
  }
  return w;
}

afterAll(async () => {
  await useBackend('cpu');
});

describe.skipIf(!probe.usable)(`a variable moves cpu → webgpu → cpu → wasm, training on each${why}`, () => {
  it('trains 5 steps on each backend and ends where float64 gradient descent ends; no tensor leaks', async () => {
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    const w0 = tf.tensor2d([[0.5], [-0.3]]);
    const w = tf.variable(w0);
    const x = tf.tensor2d(X);
    const y = tf.tensor2d(Y, [6, 1]);
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => tf.mean(tf.square(tf.sub(tf.matMul(x, w), y))) as tf.Scalar,
          [w],
        );
        w.assign(tf.sub(w, tf.mul(RATE, grads[w.name])));
      });
    const backends: (string | typeof plugin)[] = ['cpu', plugin, 'cpu', 'wasm'];
    const seen: string[] = [];
    for (const b of backends) {
      await useBackend(b);
      seen.push(tf.getBackend());
      for (let i = 0; i < 5; i++) step();
      await w.data(); // each phase really computed here
    }
    expect(seen).toEqual(['cpu', 'webgpu', 'cpu', 'wasm']);
    const got = Array.from(await w.data());
    const want = hostDescent([0.5, -0.3], 20);
    expect(Math.abs(got[0] - want[0])).toBeLessThan(1e-5);
    expect(Math.abs(got[1] - want[1])).toBeLessThan(1e-5);
    tf.dispose([w0, w, x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a tensor made on webgpu is usable after switching to cpu (it threw "cannot read a tensor from the GPU")', async () => {
    await useBackend(plugin);
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.mul(a, 2); // computed on the GPU: its values exist only in GPU memory
    await useBackend('cpu');
    const c = tf.add(b, 1);
    expect(Array.from(c.dataSync())).toEqual([3, 5, 7]);
    tf.dispose([a, b, c]);
  });
});
