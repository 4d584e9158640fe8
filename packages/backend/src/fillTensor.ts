// A tensor whose values are written where the backend keeps them. A batch made with `tf.tensor(array)` is copied
// twice on wasm and native: once into the array, once from it into the wasm heap. Here the caller writes straight
// into the heap (W1: 64 rows of 784 values a step, one copy fewer). Elsewhere (cpu, WebGPU, CUDA) the values go into
// a new array that the tensor then owns (cpu) or uploads (GPUs), as `tf.tensor` does.
import type { DataType, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from './tfjs.js';

/** The values array of each dtype `fillTensor` takes. @public */
export type FillableArray = Float32Array | Int32Array;

/** What the wasm backend (and native, built on it) offers for writing into its heap. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): FillableArray;
  disposeData(dataId: object): void;
}

function heapBackend(): HeapBackend | undefined {
  const b = tf.backend() as unknown as Partial<HeapBackend>;
  return typeof b.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function'
    ? (b as HeapBackend)
    : undefined;
}

/**
 * A new float32 or int32 tensor of `shape` whose values `fill` writes into the array it is handed, in the
 * backend's own memory where it has one in reach (wasm, native), else in a new array. `fill` must write every
 * value (the array may hold old ones) and must not make tensors (that may move the wasm heap under the array).
 * If `fill` throws, nothing is left allocated and the error propagates. The caller owns the tensor.
 *
 * @example
 * ```ts
 * const t = fillTensor([2, 3], 'float32', (v) => v.set([1, 2, 3, 4, 5, 6]));
 * ```
 * @public
 */
export function fillTensor(
  shape: number[],
  dtype: 'float32' | 'int32',
  fill: (values: FillableArray) => void,
): Tensor {
  const heap = heapBackend();
  if (!heap) {
    const size = tf.util.sizeFromShape(shape);
    const values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
    fill(values);
    return tf.tensor(values, shape, dtype);
  }
  const info = heap.makeOutput(shape, dtype);
  try {
    fill(heap.typedArrayFromHeap(info));
  } catch (e) {
    heap.disposeData(info.dataId);
    throw e;
  }
  return tf.engine().makeTensorFromTensorInfo(info);
}
