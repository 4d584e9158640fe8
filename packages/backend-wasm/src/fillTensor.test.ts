// @nutshell/backend's fillTensor on wasm: the values are written straight into the wasm heap (no array of their
// own), and a writer that throws leaves no buffer allocated in the backend.
import { describe, expect, it } from 'vitest';
import { fillTensor, tf } from '@nutshell/backend';
import { onWasm } from './test-utils/wasmTests.js';

onWasm();

describe('fillTensor on wasm', () => {
  it('hands the writer a view of the wasm heap, and the tensor holds what it wrote', async () => {
    let view: ArrayBufferLike | undefined;
    const t = fillTensor([64, 3], 'float32', (v) => {
      view = v.buffer;
      v.forEach((_, i) => (v[i] = i - 0.5));
    });
    const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer;
    expect(view).toBe(heap);
    expect(Array.from(await t.data())).toEqual(Array.from({ length: 192 }, (_, i) => i - 0.5));
    const i = fillTensor([2], 'int32', (v) => v.set([-3, 5]));
    expect(i.dtype).toBe('int32');
    expect(Array.from(await i.data())).toEqual([-3, 5]);
    tf.dispose([t, i]);
  });

  it('leaves no tensor and no heap buffer behind when the writer throws', () => {
    const before = { tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() };
    expect(() =>
      fillTensor([8, 8], 'float32', () => {
        throw new RangeError('index 70000 at position 3 is outside [0, 60000)');
      }),
    ).toThrow(/index 70000/);
    expect({ tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() }).toEqual(before);
  });
});
