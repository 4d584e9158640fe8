// A zero-copy Identity for wasm. tfjs-backend-wasm 4.22's copies the tensor's bytes, and tfjs clones every
// tensor it saves for the backward pass (and `tf.clone`, `Variable.read`... run Identity), so a training step made
// 12–27 such copies. Like wasm's own Reshape (and the cpu backend's Identity), the clone shares its input's buffer
// and takes a reference on it: the backend frees the buffer when the last tensor using it is disposed. Sharing is
// safe because no wasm kernel writes into an input: every one, Nutshell's fused optimizer updates included,
// writes into a buffer it allocated with `makeOutput`.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm } from './heap.js';

const identity: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as { x: TensorInfo };
  asWasm(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Identity for 'wasm': the output shares the input's heap buffer (reference counted) instead of copying it. */
export const identityConfig: KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: identity,
};
