import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAM_UPDATE, SGD_UPDATE, runFusedUpdate, tf, useBackend } from '@nutshell/backend';
import '../index.js';

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

/** Heap buffers the wasm backend holds (its dataIdMap), as opposed to tensors. */
const buffers = () => tf.engine().backend.numDataIds();

describe("Nutshell's zero-copy Identity on wasm", () => {
  it('a clone has the same values and shares the heap buffer instead of copying it', async () => {
    const x = tf.tensor2d([1, -2, 3.5, 4], [2, 2]);
    const before = buffers();
    const c = tf.clone(x);
    expect(buffers()).toBe(before); // no new buffer
    expect(c.shape).toEqual([2, 2]);
    expect(c.dtype).toBe('float32');
    expect(Array.from(await c.data())).toEqual([1, -2, 3.5, 4]);
    const i = tf.clone(tf.tensor1d([7, 8], 'int32'));
    expect(i.dtype).toBe('int32');
    expect(Array.from(await i.data())).toEqual([7, 8]);
    tf.dispose([x, c, i]);
  });

  it.each([
    ['the clone first', true],
    ['the original first', false],
  ])('disposing %s keeps the other readable and frees the buffer exactly once', async (_, cloneFirst) => {
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    const before = buffers();
    const x = tf.tensor1d([1, 2, 3, 4, 5]);
    const c = tf.clone(x);
    const [first, second] = cloneFirst ? [c, x] : [x, c];
    first.dispose();
    expect(buffers()).toBe(before + 1); // still held by the other
    // New tensors must not be placed in the buffer the survivor still uses.
    const others = Array.from({ length: 8 }, (_, k) => tf.fill([5], -k - 1));
    expect(Array.from(await second.data())).toEqual([1, 2, 3, 4, 5]);
    const sum = tf.tidy(() => tf.add(second, tf.scalar(1)));
    expect(Array.from(await sum.data())).toEqual([2, 3, 4, 5, 6]);
    tf.dispose([...others, sum]);
    second.dispose();
    second.dispose(); // disposing twice is a no-op, not a second free
    expect(buffers()).toBe(before);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.memory().numBytes).toBe(bytes);
  });

  it('leaves no tensor and no buffer behind over clone chains in a tidy', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    const before = buffers();
    for (let k = 0; k < 10; k++) {
      tf.tidy(() => {
        tf.clone(tf.clone(tf.clone(x)));
      });
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.memory().numBytes).toBe(bytes);
    expect(buffers()).toBe(before);
    x.dispose();
  });

  it('gradients through clone are unchanged: d/dx Σ clone(x)² = 2x, d/dx Σ clone(x)·x = 2x', async () => {
    const x = tf.tensor1d([1, -2, 0.5]);
    const tensors = tf.memory().numTensors;
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.clone(a))))(x);
    expect(Array.from(await g.data())).toEqual([2, -4, 1]);
    const h = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.clone(a), a)))(x);
    expect(Array.from(await h.data())).toEqual([2, -4, 1]);
    tf.dispose([g, h]);
    expect(tf.memory().numTensors).toBe(tensors);
    x.dispose();
  });

  // The fused optimizer kernels replace a weight each step; they must write into new buffers, never into the
  // weight's, which a clone of the weight shares. 1,003 elements run the scalar loop, 5,003 the SIMD paths.
  describe.each([1003, 5003])(
    'a clone of a variable keeps its values over a fused update (%i elements)',
    (n) => {
      const init = Float32Array.from({ length: n }, (_, k) => Math.sin(k) * 3);
      const expectUnchanged = async (t: tf.Tensor) => expect(await t.data()).toEqual(init);

      it('Adam', async () => {
        const before = buffers();
        const w = tf.tidy(() => tf.variable(tf.tensor1d(init)));
        const kept = tf.clone(w); // shares w's buffer
        const g = tf.onesLike(w);
        const m = tf.zerosLike(w);
        const v = tf.zerosLike(w);
        const attrs = {
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-8,
          stepSize: 1,
          invRootCorrection: 1 / Math.sqrt(0.001),
          decay: 0,
        };
        const [w1, m1, v1] = runFusedUpdate(ADAM_UPDATE, { w, g, m, v }, attrs)!;
        w.assign(w1 as tf.Tensor1D);
        // g = 1 from zero moments: m′ = 0.1, v′ = 0.001, √v′·invRootCorrection = 1, so w′ = w − 1·0.1/(1 + 1e-8).
        const moved = await w.data();
        for (let k = 0; k < n; k += 997) expect(moved[k]).toBeCloseTo(init[k] - 0.1, 5);
        await expectUnchanged(kept);
        tf.dispose([kept, g, m, v, w1, m1, v1, w]);
        expect(buffers()).toBe(before);
      });

      it('SGD with momentum', async () => {
        const before = buffers();
        const w = tf.tidy(() => tf.variable(tf.tensor1d(init)));
        const kept = w.clone();
        const g = tf.onesLike(w);
        const vel = tf.zerosLike(w);
        const [w1, vel1] = runFusedUpdate(
          SGD_UPDATE,
          { w, g, velocity: vel },
          { learningRate: 0.5, momentum: 0.9, nesterov: false },
        )!;
        w.assign(w1 as tf.Tensor1D);
        const moved = await w.data();
        for (let k = 0; k < n; k += 997) expect(moved[k]).toBeCloseTo(init[k] - 0.5, 5);
        await expectUnchanged(kept);
        tf.dispose([kept, g, vel, w1, vel1, w]);
        expect(buffers()).toBe(before);
      });
    },
  );
});
