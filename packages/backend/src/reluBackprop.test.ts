import { afterAll, describe, expect, it } from 'vitest';
import { tf } from './tfjs.js';
import { RELU_BACKPROP, reluBackpropValues, runReluBackprop } from './reluBackprop.js';

// 2 rows × 3 channels, worked by hand: dx = dy where y > 0, else dy·0; db = dx summed over the rows.
const Y = [0.5, 0, -2, 3, NaN, -0.25];
const DY = [1, 2, 3, -4, 5, Infinity];
const DX = [1, 0, 0, -4, NaN, NaN]; // y NaN → NaN; y ≤ 0 with dy = ∞ → ∞·0 = NaN
const DB = [-3, NaN, NaN];

const f32 = (xs: number[]) => Float32Array.from(xs);

afterAll(() => tf.setBackend('cpu'));

describe('fused relu backward pass (@nutshell/backend)', () => {
  it('dx and the bias gradient equal the hand-computed values, NaN and infinities included', () => {
    const dx = new Float32Array(6);
    const db = new Float32Array(3).fill(7); // overwritten, not added to
    reluBackpropValues(f32(DY), f32(Y), dx, db);
    expect(Array.from(dx)).toEqual(DX);
    expect(Array.from(db)).toEqual(DB);
  });

  it("on cpu the kernel gives what Step, Multiply and Sum give, on a conv layer's [2, 3, 3, 4] output", async () => {
    await tf.setBackend('cpu');
    const y = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 3);
    const dy = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 4);
    const before = tf.memory().numTensors;
    const [dx, db] = runReluBackprop(dy, y, true)!;
    const wantDx = tf.tidy(() => tf.mul(dy, tf.step(y)));
    const wantDb = tf.sum(wantDx, [0, 1, 2]);
    expect(dx.shape).toEqual([2, 3, 3, 4]);
    expect(db.shape).toEqual([4]);
    expect(Array.from(await dx.data())).toEqual(Array.from(await wantDx.data()));
    const got = await db.data();
    (await wantDb.data()).forEach((w, c) =>
      expect(Math.abs(got[c] - w)).toBeLessThan(1e-6 * Math.max(1, Math.abs(w))),
    );
    const [only] = runReluBackprop(dy, y, false)!;
    expect(Array.from(await only.data())).toEqual(Array.from(await dx.data()));
    tf.dispose([dx, db, wantDx, wantDb, only]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([y, dy]);
  });

  it('declines (undefined, nothing run) for shapes or dtypes the kernel does not take, and where no kernel is registered', async () => {
    await tf.setBackend('cpu');
    const y = tf.ones([2, 3]);
    const before = tf.memory().numTensors;
    expect(runReluBackprop(tf.ones([3, 2]), y, true)).toBeUndefined();
    expect(runReluBackprop(tf.ones([2, 3], 'int32'), y, true)).toBeUndefined();
    expect(runReluBackprop(tf.scalar(1), tf.scalar(1), true)).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before + 4); // only the four arguments made above
    expect(tf.getKernel(RELU_BACKPROP, 'cpu')).toBeDefined();
    expect(tf.getKernel(RELU_BACKPROP, 'no-such-backend')).toBeUndefined();
  });
});
