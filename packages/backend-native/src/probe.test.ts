import { describe, expect, it } from 'vitest';
import { probeNative } from './probe.js';
import { loadOnnxRuntime } from './onnxRuntime.js';

describe('probe', () => {
  it('is usable here, naming ONNX Runtime 1.30.0', async () => {
    const probe = await probeNative();
    expect(probe.usable).toBe(true);
    if (probe.usable) expect(probe.detail).toMatch(/^ONNX Runtime 1\.30\.0 \(MLAS\) from .*bin\/napi-v6\//);
  });

  it('a missing package is a probe failure with the install command, not a crash', async () => {
    const probe = await probeNative(async () => {
      throw new Error("Cannot find module 'onnxruntime-node/package.json'\nRequire stack: ...");
    });
    expect(probe).toEqual({
      usable: false,
      reason:
        "its native library, onnxruntime-node, is not installed (Cannot find module 'onnxruntime-node/package.json').",
      fix: expect.stringContaining('ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0'),
    });
  });

  it('a library that fails to load (wrong platform, missing shared object) says so', async () => {
    const probe = await probeNative(async () => {
      throw new Error('libonnxruntime.so.1: cannot open shared object file: No such file or directory');
    });
    expect(probe.usable).toBe(false);
    if (!probe.usable)
      expect(probe.reason).toBe(
        "onnxruntime-node's native library failed to load: libonnxruntime.so.1: cannot open shared object file: No such file or directory",
      );
  });

  it('another onnxruntime-node version is refused', async () => {
    const real = await loadOnnxRuntime();
    const probe = await probeNative(async () => ({ ...real, version: '1.19.2' }));
    expect(probe.usable).toBe(false);
    if (!probe.usable)
      expect(probe.reason).toBe(
        'onnxruntime-node 1.19.2 is installed; this package is built and tested against 1.30.0.',
      );
  });

  it('a library that loads but cannot compute is a probe failure', async () => {
    const real = await loadOnnxRuntime();
    const broken = {
      ...real,
      binding: {
        InferenceSession: class {
          loadModel(): void {
            throw new Error('Load model failed: no kernel');
          }
        },
      },
    } as unknown as typeof real;
    const probe = await probeNative(async () => broken);
    expect(probe.usable).toBe(false);
    if (!probe.usable)
      expect(probe.reason).toBe(
        'onnxruntime-node loaded but could not compute: Load model failed: no kernel',
      );
  });
});
