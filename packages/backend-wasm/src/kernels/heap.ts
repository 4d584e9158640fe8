// Helpers for kernels that work directly on tensors in the wasm heap, with no copies to JavaScript arrays.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The tfjs wasm backend a kernel was called with. */
export function asWasm(backend: unknown): BackendWasm {
  return backend as BackendWasm;
}

/**
 * A Float32Array view of a tensor's memory in the wasm heap. Views die when the heap grows, which any
 * allocation (`makeOutput`, another kernel) may cause: allocate first, then take views.
 */
export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Runs another kernel registered for 'wasm' (e.g. its XNNPACK Conv2D) on heap tensors; the caller owns the result. */
export function runWasmKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (!kernel) throw new Error(`@nutshell/backend-wasm: the wasm kernel ${kernelName} is not registered.`);
  return kernel.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
}

/**
 * Runs the kernel registered for the backend in use (wasm, or native, which shares wasm's heap and runs large
 * products on ONNX Runtime) on heap tensors; the caller owns the result.
 */
export function runActiveKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = tf.getKernel(kernelName, tf.getBackend());
  if (!kernel) return runWasmKernel(backend, kernelName, inputs, attrs);
  return kernel.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
}

/** Frees intermediate results made by `runWasmKernel`. */
export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Throws the error tfjs's own wasm kernels throw for NCHW data. */
export function assertChannelsLast(kernelName: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(
      `wasm backend ${kernelName} does not support dataFormat:'${String(dataFormat)}'. Please use 'NHWC'.`,
    );
  }
}
