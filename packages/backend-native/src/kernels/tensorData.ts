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

/**
 * A new float32 tensor of `shape`, filled by `fill` with a heap view of it (taken after the allocation, so `fill`
 * may take its own input views). If `fill` throws (ONNX Runtime rejected the graph), the tensor is released before
 * the error goes on, so the wasm kernel the caller then falls back to leaves nothing behind.
 */
export function outputFilledBy(
  backend: BackendWasm,
  shape: readonly number[],
  fill: (out: Float32Array) => void,
): TensorInfo {
  const result = backend.makeOutput([...shape], 'float32');
  try {
    fill(valuesOf(backend, result));
  } catch (e) {
    backend.disposeData(result.dataId);
    throw e;
  }
  return result;
}
