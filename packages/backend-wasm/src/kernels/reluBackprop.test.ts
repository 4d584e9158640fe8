import { describe, expect, it } from 'vitest';
import { RELU_BACKPROP, runReluBackprop, tf } from '@nutshell/backend';
import { onWasm, uniforms } from '../test-utils/wasmTests.js';

onWasm();

/** dx = dy·step(y) and db = Σ rows of dx, in float64 (NaN for a NaN y, dy·0 where y ≤ 0). */
function reference(dy: Float32Array, y: Float32Array, channels: number) {
  const dx = Array.from(y, (v, i) => (v > 0 ? dy[i] : Number.isNaN(v) ? NaN : dy[i] * 0));
  const db = new Float64Array(channels);
  const abs = new Float64Array(channels);
  dx.forEach((v, i) => {
    db[i % channels] += v;
    abs[i % channels] += Math.abs(v);
  });
  return { dx, db, abs };
}

describe('fused relu backward pass on wasm (SIMD for channels in fours, a loop otherwise)', () => {
  it.each([
    [[4, 24, 24, 16]], // the main job's first convolution's output, 4 images
    [[3, 5, 5, 8]],
    [[1, 4]], // one row
    [[2, 3, 3, 3]], // 3 channels: the loop
    [[7, 1]],
  ])('%j: dx exactly, db within float32 rounding of the float64 sums', async (shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const channels = shape[shape.length - 1];
    const yv = Float32Array.from(uniforms(n, n + 1), (u) => u - 0.5);
    const dyv = Float32Array.from(uniforms(n, n + 2), (u) => 2 * u - 1);
    // Special values where they exist: NaN and ±0 outputs, and an infinite dy where y ≤ 0 (∞·0 = NaN).
    if (n >= 8) {
      yv[1] = NaN;
      yv[2] = 0;
      yv[3] = -0;
      yv[5] = -1;
      dyv[5] = Infinity;
      yv[6] = 1;
      dyv[6] = -Infinity;
    }
    const before = tf.memory().numTensors;
    const y = tf.tensor(yv, shape);
    const dy = tf.tensor(dyv, shape);
    const [dx, db] = runReluBackprop(dy, y, true)!;
    const want = reference(dyv, yv, channels);
    expect(dx.shape).toEqual(shape);
    expect(Array.from(await dx.data())).toEqual(want.dx.map(Math.fround));
    const got = await db.data();
    want.db.forEach((w, c) => {
      if (!Number.isFinite(w))
        expect(got[c]).toBe(w); // NaN, or −∞ from dy = −∞ where y > 0
      else expect(Math.abs(got[c] - w)).toBeLessThanOrEqual(1e-6 * want.abs[c] + 1e-7);
    });
    const [alone] = runReluBackprop(dy, y, false)!;
    expect(Array.from(await alone.data())).toEqual(Array.from(await dx.data()));
    tf.dispose([y, dy, dx, db, alone]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives what Step, Multiply and Sum give on the same backend', async () => {
    const y = tf.randomNormal([4, 6, 6, 8], 0, 1, 'float32', 1);
    const dy = tf.randomNormal([4, 6, 6, 8], 0, 1, 'float32', 2);
    const [dx, db] = runReluBackprop(dy, y, true)!;
    const wantDx = tf.tidy(() => tf.mul(dy, tf.step(y)));
    const wantDb = tf.sum(wantDx, [0, 1, 2]);
    expect(Array.from(await dx.data())).toEqual(Array.from(await wantDx.data()));
    const got = await db.data();
    (await wantDb.data()).forEach((w, c) => expect(got[c]).toBeCloseTo(w, 4));
    tf.dispose([y, dy, dx, db, wantDx, wantDb]);
  });

  it('refuses dy and y of different shapes when called as a kernel, naming it', () => {
    const before = tf.memory().numTensors;
    const y = tf.ones([2, 4]);
    const dy = tf.ones([4, 2]);
    expect(() => tf.engine().runKernel(RELU_BACKPROP, { dy, y }, { biasGradient: true })).toThrow(
      /NutshellReluBackprop: dy \[4,2\] and y \[2,4\] must have the same shape/,
    );
    tf.dispose([y, dy]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
