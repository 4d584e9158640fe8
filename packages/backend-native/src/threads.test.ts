import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { NativeConfigError, configureNative, nativeBackend } from './index.js';

beforeAll(async () => {
  await useBackend(nativeBackend);
});
afterAll(async () => {
  await configureNative({ threads: undefined });
  delete process.env.NUTSHELL_NATIVE_THREADS;
  await useBackend('cpu');
});

describe('threads', () => {
  it('an option sets the thread count, and products still agree', async () => {
    await configureNative({ threads: 1 });
    expect(nativeBackend.info().extra).toMatchObject({
      threads: 1,
      threadsFrom: 'configureNative({ threads })',
    });
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
    expect(await tf.matMul(a, b).data()).toEqual(Float32Array.from([4, 5, 10, 11]));
    await configureNative({ threads: 2 });
    expect(nativeBackend.info().device).toBe('CPU (ONNX Runtime 1.30.0, 2 threads)');
    expect(await tf.matMul(a, b).data()).toEqual(Float32Array.from([4, 5, 10, 11]));
    tf.dispose([a, b]);
  });

  it('NUTSHELL_NATIVE_THREADS applies when no option is set', async () => {
    process.env.NUTSHELL_NATIVE_THREADS = '1';
    await configureNative({ threads: undefined });
    expect(nativeBackend.info().extra).toMatchObject({ threads: 1, threadsFrom: 'NUTSHELL_NATIVE_THREADS' });
  });

  it('a bad count is a NativeConfigError naming the setting', async () => {
    await expect(configureNative({ threads: 0 })).rejects.toThrow(
      new NativeConfigError(
        'native backend: threads must be a whole number of threads from 1 to 1024, got 0.',
      ),
    );
    await configureNative({ threads: undefined });
    process.env.NUTSHELL_NATIVE_THREADS = 'two';
    await expect(configureNative({ threads: undefined })).rejects.toThrow(
      'native backend: NUTSHELL_NATIVE_THREADS must be a whole number of threads from 1 to 1024, got "two".',
    );
    delete process.env.NUTSHELL_NATIVE_THREADS;
  });

  it('with adaptiveThreads the extra threads are used only while the load average leaves a core free', async () => {
    const cores = os.availableParallelism();
    const load = vi.spyOn(os, 'loadavg');
    try {
      await configureNative({ threads: 2, adaptiveThreads: true });
      load.mockReturnValue([cores + 3, 0, 0]);
      await new Promise((r) => setTimeout(r, 1100)); // the load average is read at most once a second
      expect(nativeBackend.info().extra).toMatchObject({
        threads: 2,
        adaptiveThreads: true,
        poolInUse: false,
      });
      // Products agree either way (128³ multiply-adds reach the threshold above which the pool is used).
      const a = tf.randomUniform([128, 128]);
      const b = tf.randomUniform([128, 128]);
      const want = await tf.matMul(a, b).data();
      // A count set without adaptiveThreads is used as set, whatever the load.
      await configureNative({ threads: 2 });
      expect(nativeBackend.info().extra).toMatchObject({ adaptiveThreads: false, poolInUse: true });
      expect(await tf.matMul(a, b).data()).toEqual(want);
      await configureNative({ threads: 2, adaptiveThreads: true });
      load.mockReturnValue([cores - 1, 0, 0]);
      expect(nativeBackend.info().extra).toMatchObject({ poolInUse: true });
      tf.dispose([a, b]);
    } finally {
      load.mockRestore();
    }
  });

  it('the default thread count (one per core) adapts to the load; adaptiveThreads: false turns that off', async () => {
    delete process.env.NUTSHELL_NATIVE_THREADS;
    await configureNative({});
    expect(nativeBackend.info().extra).toMatchObject({ threadsFrom: 'one per core', adaptiveThreads: true });
    await configureNative({ adaptiveThreads: false });
    expect(nativeBackend.info().extra).toMatchObject({ threadsFrom: 'one per core', adaptiveThreads: false });
    await configureNative({});
  });

  it('a non-boolean adaptiveThreads is a NativeConfigError', async () => {
    await expect(configureNative({ adaptiveThreads: 'yes' as unknown as boolean })).rejects.toThrow(
      new NativeConfigError('native backend: adaptiveThreads must be true or false, got "yes".'),
    );
  });
});
