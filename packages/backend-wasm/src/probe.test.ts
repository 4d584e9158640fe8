import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, tf, useBackend } from '@nutshell/backend';
import { setWasmPaths, wasmBackend } from './index.js';

// Its own file: setWasmPaths changes where tfjs-backend-wasm loads from for the rest of the process.
describe('wasmBackend probe when the .wasm files are not where they are looked for', () => {
  it('says which file is missing and how to fix it, and useBackend refuses with that reason', async () => {
    setWasmPaths('/nonexistent/nutshell-wasm/');
    const probe = await wasmBackend.probe();
    expect(probe.usable).toBe(false);
    if (!probe.usable) {
      expect(probe.reason).toBe('the WebAssembly binary was not found at /nonexistent/nutshell-wasm/tfjs-backend-wasm-simd.wasm.');
      expect(probe.fix).toContain("setWasmPaths('<url or directory>/')");
    }
    const err = await useBackend('wasm').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toContain('/nonexistent/nutshell-wasm/tfjs-backend-wasm-simd.wasm');
    expect(tf.getBackend()).toBe('cpu');
  });
});
