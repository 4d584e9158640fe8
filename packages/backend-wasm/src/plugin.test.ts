import { afterAll, describe, expect, it } from 'vitest';
import { getBackendPlugin, tf, useBackend } from '@nutshell/backend';
import { wasmBackend } from './index.js';

afterAll(async () => {
  await useBackend('cpu');
});

describe('wasmBackend plugin', () => {
  it('registers itself on import without switching the current backend', () => {
    expect(getBackendPlugin('wasm')).toBe(wasmBackend);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('probes WebAssembly, SIMD and the .wasm binary', async () => {
    const probe = await wasmBackend.probe();
    expect(probe).toMatchObject({ usable: true });
    if (probe.usable) expect(probe.detail).toMatch(/SIMD .*tfjs-backend-wasm-simd\.wasm/);
  });

  it('activates through useBackend and says whether it uses threads', async () => {
    const sel = await useBackend('wasm');
    expect(sel.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const info = wasmBackend.info();
    expect(info.device).toBe('CPU (WebAssembly, SIMD, single-threaded)');
    expect(info.extra).toMatchObject({ simd: true, threads: 1 });
    expect(String(info.extra?.threadsNote)).toContain('single-threaded in Node');
  });
});
