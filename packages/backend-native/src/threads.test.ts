import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { NativeConfigError, configureNative, nativeBackend } from './index.js';
import { OwnLoad, coreFreeFor } from './threads.js';

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
      load.mockReturnValue([0.2, 0, 0]); // below cores − 1.5 whatever this process's own share
      expect(nativeBackend.info().extra).toMatchObject({ poolInUse: true });
      tf.dispose([a, b]);
    } finally {
      load.mockRestore();
    }
  });

  it('the default thread count (one per core) uses the pool whatever the load; adaptiveThreads: true adapts', async () => {
    delete process.env.NUTSHELL_NATIVE_THREADS;
    const load = vi.spyOn(os, 'loadavg');
    try {
      load.mockReturnValue([os.availableParallelism() + 3, 0, 0]);
      await configureNative({});
      const extra = nativeBackend.info().extra as { threads: number };
      expect(extra).toMatchObject({ threadsFrom: 'one per core', adaptiveThreads: false });
      expect(nativeBackend.info().extra).toMatchObject({ poolInUse: extra.threads > 1 });
      await configureNative({ adaptiveThreads: true });
      expect(nativeBackend.info().extra).toMatchObject({
        threadsFrom: 'one per core',
        adaptiveThreads: true,
      });
    } finally {
      load.mockRestore();
      await configureNative({});
    }
  });

  it('a non-boolean adaptiveThreads is a NativeConfigError', async () => {
    await expect(configureNative({ adaptiveThreads: 'yes' as unknown as boolean })).rejects.toThrow(
      new NativeConfigError('native backend: adaptiveThreads must be true or false, got "yes".'),
    );
  });
});

describe("the load the other processes leave: this process's own threads do not count against it", () => {
  it('OwnLoad averages running threads with the kernel’s 1-minute time constant', () => {
    const own = new OwnLoad(0, 0);
    // One thread busy for 60 s: 1 − e^(−1).
    expect(own.update(60, 60)).toBeCloseTo(1 - Math.exp(-1), 12);
    // Then two threads for 60 s: (1 − e^(−1))·e^(−1) + 2·(1 − e^(−1)).
    expect(own.update(180, 120)).toBeCloseTo((1 - Math.exp(-1)) * Math.exp(-1) + 2 * (1 - Math.exp(-1)), 12);
    // No time passed: unchanged.
    expect(own.update(500, 120)).toBeCloseTo(1.49679, 5);
  });

  it('OwnLoad starts as if the CPU used so far had been used evenly since the process started', () => {
    // 30 CPU-seconds over 30 s: one thread, averaged over half a time constant.
    expect(new OwnLoad(30, 30).update(30, 30)).toBeCloseTo(1 - Math.exp(-0.5), 12);
    expect(new OwnLoad(0, 0).update(0, 0)).toBe(0);
  });

  it('a core is free while the others’ load stays one and a half cores below the count', () => {
    // This process keeping both of 2 cores busy reads a load of 2: the old rule (load < cores − 0.5) said no core.
    expect(coreFreeFor(2, 1.9, 2)).toBe(true);
    expect(coreFreeFor(2, 1, 2)).toBe(false); // another process holds a core
    expect(coreFreeFor(1.4, 1, 2)).toBe(true); // the old rule with this process at one thread
    expect(coreFreeFor(1.5, 1, 2)).toBe(false);
    expect(coreFreeFor(0.6, 0, 2)).toBe(false); // this process idle, others at 0.6: only 1.4 cores left
    expect(coreFreeFor(0, 0, 1)).toBe(false); // one core: never a second
  });
});
