import { describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { createWebgpuBackend } from '../index.js';

const plugin = createWebgpuBackend({ cpuForward: false });
const probe = await plugin.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

// Inputs as float32, and their sin/cos in float64: the reference.
const xs = Float32Array.from([
  0, -0, 1e-30, 0.5, -0.5, 1, Math.PI / 4, Math.PI / 2, -Math.PI / 2, 3, -3, Math.PI, 2 * Math.PI, 10, -10, 100.25,
  -777.77, 1234.5, 9999.9, 31415.9, -99999, ...Array.from({ length: 2000 }, (_, i) => -40 + i * 0.04),
]);

async function maxError(fn: (x: tf.Tensor) => tf.Tensor, ref: (x: number) => number): Promise<number> {
  const y = tf.tidy(() => fn(tf.tensor1d(xs)));
  const got = await y.data();
  y.dispose();
  let worst = 0;
  for (let i = 0; i < xs.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref(xs[i])));
  return worst;
}

describe.skipIf(!probe.usable)(`Nutshell's sin and cos kernels on webgpu${why}`, () => {
  it('match float64 sin and cos within 4e-7 from 0 to 1e5 (WGSL built-ins may be off by 5e-4)', async () => {
    await useBackend(plugin);
    expect(await maxError(tf.sin, Math.sin)).toBeLessThan(4e-7);
    expect(await maxError(tf.cos, Math.cos)).toBeLessThan(4e-7);
  });

  it('give NaN for NaN and the infinities', async () => {
    await useBackend(plugin);
    for (const fn of [tf.sin, tf.cos]) {
      const y = fn(tf.tensor1d([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]));
      expect(Array.from(await y.data()).map(Number.isNaN)).toEqual([true, true, true]);
      y.dispose();
    }
  });

  it("carry sin's gradient (cos) accurately", async () => {
    await useBackend(plugin);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.sin(x)))(tf.tensor1d(xs));
    const got = await g.data();
    g.dispose();
    let worst = 0;
    for (let i = 0; i < xs.length; i++) worst = Math.max(worst, Math.abs(got[i] - Math.cos(xs[i])));
    expect(worst).toBeLessThan(4e-7);
    await useBackend('cpu');
  });
});
