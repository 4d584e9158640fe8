import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
