// Reading and writing tensors of the native backend. Its storage is tfjs-backend-wasm's heap: ONNX Runtime reads an
// input in place through a Float32Array view of the heap, and its output (a fresh array) is copied into a tensor
// made on the heap. A heap view dies when the heap grows (any allocation): take input views, run, then allocate.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The float32 values of a tensor on the native backend: a view of the heap (do not write; do not keep). */
export function valuesOf(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** A new tensor on the native backend holding a copy of `values`. */
export function tensorFrom(backend: BackendWasm, shape: readonly number[], values: Float32Array): TensorInfo {
  const out = backend.makeOutput([...shape], 'float32');
  (backend.typedArrayFromHeap(out) as Float32Array).set(values);
  return out;
}

/** `[batch, rows, cols]` values with the last two axes swapped, into a new array (blocked for the caches). */
export function swapLastAxes(src: Float32Array, batch: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(batch * rows * cols);
  const B = 32;
  for (let b = 0; b < batch; b++) {
    const o = b * rows * cols;
    for (let r0 = 0; r0 < rows; r0 += B) {
      const r1 = Math.min(rows, r0 + B);
      for (let c0 = 0; c0 < cols; c0 += B) {
        const c1 = Math.min(cols, c0 + B);
        for (let r = r0; r < r1; r++)
          for (let c = c0; c < c1; c++) out[o + c * rows + r] = src[o + r * cols + c];
      }
    }
  }
  return out;
}
