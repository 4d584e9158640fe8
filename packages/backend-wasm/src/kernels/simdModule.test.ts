import { describe, expect, it } from 'vitest';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { maxPoolGradSimd } from './maxPoolGradSimd.js';
import { patchRowsSimd } from './patchRowsSimd.js';

/** A stand-in for a tfjs wasm backend whose heap is `memory` (all `compileSimd` reads from it). */
const backendOn = (memory: WebAssembly.Memory) =>
  ({ wasm: { wasmMemory: memory } }) as unknown as BackendWasm;

describe("the SIMD modules on a shared heap (tfjs-backend-wasm's multi-threaded build)", () => {
  it('link against a shared memory and compute the same values as on a plain one', () => {
    const results = [false, true].map((shared) => {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared });
      const heap = new Float32Array(memory.buffer);
      // x: 2 rows × 4 pixels × 4 channels (16 floats a row) from float 0; one 2×2 window over pixels 0–1.
      heap.set([1, 5, -2, 0, 3, 5, -3, 0], 0); // row 0: p00, p01
      heap.set([2, 4, -1, 0, 3, 0, -2, 0], 16); // row 1: p10, p11
      heap.set([3, 5, -1, 0], 64); // y: each channel's window maximum
      heap.set([10, 20, 30, 40], 80); // dy
      const pass = maxPoolGradSimd(backendOn(memory));
      expect(pass).toBeTypeOf('function');
      pass!(0, 64 * 4, 80 * 4, 96 * 4, 1, 1, 2, 2, 16 * 4); // dx from float 96, laid out as x
      const copy = patchRowsSimd(backendOn(memory));
      expect(copy).toBeTypeOf('function');
      copy!(4 * 4, 200 * 4, 1, 2, 1, 16 * 4, 32 * 4); // pixel 1's 4 values from both rows, to float 200
      return [...Array.from(heap.subarray(96, 128)), ...Array.from(heap.subarray(200, 208))];
    });
    // Channel 0's maximum 3 is first at p01 (p11 ties later); channel 1's 5 at p00 (p01 ties later); channel 2's −1
    // at p10; channel 3's 0 at p00.
    const dx = [
      0, 20, 0, 40, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    expect(results[0]).toEqual([...dx, 3, 5, -3, 0, 3, 0, -2, 0]);
    expect(results[1]).toEqual(results[0]);
  });
});
