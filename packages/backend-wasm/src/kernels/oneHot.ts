// OneHot for wasm. tfjs-backend-wasm 4.22's C++ kernel writes int32 values whatever dtype is asked for, so
// tf.oneHot(labels, n, 1, 0, 'float32') returns int32 bit patterns labelled float32 (1 reads as 1.4e-45) and a
// sparse cross-entropy built on it silently has zero gradient. This one fills the output in the requested dtype.
import * as tf from '@tensorflow/tfjs-core';
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm } from './heap.js';

const oneHot: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { indices } = inputs as { indices: TensorInfo };
  const { depth, onValue, offValue, dtype } = attrs as unknown as {
    depth: number;
    onValue: number;
    offValue: number;
    dtype: DataType;
  };
  const out = backend.makeOutput([...indices.shape, depth], dtype);
  const ids = backend.typedArrayFromHeap(indices);
  const ys = backend.typedArrayFromHeap(out);
  ys.fill(offValue);
  for (let i = 0; i < ids.length; i++) {
    const k = ids[i];
    // Out-of-range indices give an all-off row, as tfjs's CPU kernel does.
    if (k >= 0 && k < depth) ys[i * depth + k] = onValue;
  }
  return out;
};

/** Nutshell's OneHot kernel for the 'wasm' backend. */
export const oneHotConfig: KernelConfig = { kernelName: tf.OneHot, backendName: 'wasm', kernelFunc: oneHot };
