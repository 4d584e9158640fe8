import { beforeAll, describe, expect, it } from 'vitest';
import { ADAM_UPDATE, SGD_UPDATE, runFusedUpdate, tf } from '@nutshell/backend';
import { onWasm, uniforms } from '../test-utils/wasmTests.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { adamSimd } from './adamSimd.js';
import { sgdSimd } from './sgdSimd.js';

onWasm();

/** Float32 values with a spread of signs and magnitudes, from a fixed seed. */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from(uniforms(n, seed), (u) => (u - 0.5) * 10 ** Math.floor(u * 7 - 4));
}

// 1 and 3 elements (the scalar loop alone), 67, 1,003 and 5,003 (SIMD passes with a scalar tail)
// and W1's 7,840 (a multiple of 4).
let N = 1003;
const w = () => tf.tensor1d(values(N, 1));
const g = () => tf.tensor1d(values(N, 2));
const m = () => tf.tensor1d(values(N, 3));
const v = () => tf.tidy(() => tf.abs(tf.tensor1d(values(N, 4))));

it("compiles Adam's and SGD's SIMD passes over the heap in Node (so the cases below run them, tails by the scalar loop)", () => {
  const backend = tf.backend() as unknown as BackendWasm;
  expect(adamSimd(backend)).toBeTypeOf('function');
  for (const mode of ['plain', 'momentum', 'nesterov'] as const)
    expect(sgdSimd(backend, mode)).toBeTypeOf('function');
});

describe.each([1, 3, 67, 1003, 5003, 7840])(
  "the fused optimizer kernels on wasm equal wasm's own element-wise kernels bit for bit (%i elements)",
  (size) => {
    beforeAll(() => {
      N = size;
    });

    it.each([
      ['Adam', 0],
      ['AdamW', 1e-3 * 0.01],
    ])('%s', async (_, decay) => {
      const before = tf.memory().numTensors;
      const buffers = tf.engine().backend.numDataIds(); // intermediates in the heap, not tensors
      const [W, G, M, V] = [w(), g(), m(), v()];
      const attrs = {
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
        stepSize: 1e-3 / (1 - 0.9 ** 3),
        invRootCorrection: 1 / Math.sqrt(1 - 0.999 ** 3),
        decay,
      };
      const fused = runFusedUpdate(ADAM_UPDATE, { w: W, g: G, m: M, v: V }, attrs)!;
      expect(fused).toHaveLength(3);
      // The rule op by op, as @nutshell/train's Adam runs it where a backend has no fused kernel.
      const ops = tf.tidy(() => {
        const s = (x: number) => tf.scalar(x);
        const m1 = tf.add(tf.mul(M, s(0.9)), tf.mul(G, s(1 - 0.9)));
        const v1 = tf.add(tf.mul(V, s(0.999)), tf.mul(tf.square(G), s(1 - 0.999)));
        const denom = tf.add(tf.mul(tf.sqrt(v1), s(attrs.invRootCorrection)), s(1e-8));
        let w1 = tf.sub(W, tf.mul(tf.div(m1, denom), s(attrs.stepSize)));
        if (decay !== 0) w1 = tf.sub(w1, tf.mul(W, s(decay)));
        return [w1, m1, v1];
      });
      for (let i = 0; i < 3; i++) expect(await fused[i].data()).toEqual(await ops[i].data());
      tf.dispose([W, G, M, V, ...fused, ...ops]);
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.engine().backend.numDataIds()).toBe(buffers);
    });

    it.each([
      ['SGD', 0, false],
      ['momentum', 0.9, false],
      ['nesterov', 0.9, true],
    ])('%s', async (_, momentum, nesterov) => {
      const before = tf.memory().numTensors;
      const buffers = tf.engine().backend.numDataIds(); // intermediates in the heap, not tensors
      const [W, G, Vel] = [w(), g(), m()];
      const fused = runFusedUpdate(SGD_UPDATE, momentum ? { w: W, g: G, velocity: Vel } : { w: W, g: G }, {
        learningRate: 0.05,
        momentum,
        nesterov,
      })!;
      const ops = tf.tidy(() => {
        const lr = tf.scalar(0.05);
        if (!momentum) return [tf.sub(W, tf.mul(G, lr))];
        const mu = tf.scalar(momentum);
        const vel = tf.add(tf.mul(Vel, mu), G);
        const step = nesterov ? tf.add(G, tf.mul(vel, mu)) : vel;
        return [tf.sub(W, tf.mul(step, lr)), vel];
      });
      expect(fused).toHaveLength(ops.length);
      for (let i = 0; i < ops.length; i++) expect(await fused[i].data()).toEqual(await ops[i].data());
      tf.dispose([W, G, Vel, ...fused, ...ops]);
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.engine().backend.numDataIds()).toBe(buffers);
    });
  },
);
