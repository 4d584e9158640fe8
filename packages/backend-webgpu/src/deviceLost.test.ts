import { describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { WebGpuDeviceLostError, createWebgpuBackend } from './index.js';

const plugin = createWebgpuBackend();
const probe = await plugin.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

/** Fails the test instead of hanging it when a promise never settles. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms (hang)`)), ms))]);
}

describe.skipIf(!probe.usable)(`a lost WebGPU device${why}`, () => {
  it('a read from a destroyed device rejects with WebGpuDeviceLostError instead of hanging; ops throw it too', async () => {
    await useBackend(plugin);
    const x = tf.randomNormal([64, 64], 0, 1, 'float32', 1);
    const y = tf.matMul(x, x); // lives on the GPU, not read yet
    plugin.device()!.destroy();
    const error = await within(y.data(), 10_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebGpuDeviceLostError);
    expect((error as WebGpuDeviceLostError).reason).toBe('destroyed');
    expect((error as Error).message).toContain("the WebGPU device was lost (reason 'destroyed'");
    expect((error as Error).message).toContain("Call useBackend('webgpu') again");
    expect(() => tf.matMul(x, x)).toThrow(WebGpuDeviceLostError);
    expect(plugin.info().extra!.deviceLost).toMatchObject({ reason: 'destroyed' });
  });

  it('activating again gives a fresh device that computes', async () => {
    await useBackend(plugin);
    expect(plugin.info().extra!.deviceLost).toBeUndefined();
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[5], [6]]);
    const c = tf.matMul(a, b);
    expect(Array.from(await within(c.data(), 10_000))).toEqual([17, 39]);
    tf.dispose([a, b, c]);
    await useBackend('cpu');
  });
});
