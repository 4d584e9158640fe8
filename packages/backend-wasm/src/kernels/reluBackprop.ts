// The fused relu backward pass for wasm (and native, which copies wasm's kernel table): dx = dy·step(y) and the
// bias gradient in one pass over the heap, in SIMD where the channels are a multiple of 4 (reluBackpropSimd.ts),
// else @nutshell/backend's loop on heap views. It replaces Step, Multiply and Sum in @nutshell/conv's FusedConv2D
// gradient.
import { RELU_BACKPROP, reluBackpropValues, type ReluBackpropAttrs } from '@nutshell/backend';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { asWasm, heapF32, release } from './heap.js';
import { reluBackpropSimd } from './reluBackpropSimd.js';

const reluBackprop: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { dy, y } = inputs as Record<'dy' | 'y', TensorInfo>;
  const { biasGradient } = attrs as unknown as ReluBackpropAttrs;
  if (!tf.util.arraysEqual(dy.shape, y.shape) || y.shape.length === 0)
    throw new Error(
      `${RELU_BACKPROP}: dy ${JSON.stringify(dy.shape)} and y ${JSON.stringify(y.shape)} must have the same shape, with at least one axis.`,
    );
  const channels = y.shape[y.shape.length - 1];
  const size = tf.util.sizeFromShape(y.shape);
  // Allocate first: an allocation may grow the heap, which detaches views taken before it.
  const dx = backend.makeOutput(y.shape, 'float32');
  const db = backend.makeOutput([channels], 'float32'); // released below when not asked for
  const dbValues = heapF32(backend, db);
  const simd = channels % 4 === 0 && size > 0 ? reluBackpropSimd(backend) : undefined;
  if (simd) {
    dbValues.fill(0);
    const at = (t: TensorInfo) => heapF32(backend, t).byteOffset;
    simd(at(dy), at(y), at(dx), dbValues.byteOffset, size / channels, channels / 4);
  } else {
    reluBackpropValues(heapF32(backend, dy), heapF32(backend, y), heapF32(backend, dx), dbValues);
  }
  if (biasGradient) return [dx, db];
  release(backend, db);
  return [dx];
};

/** The fused relu backward pass for 'wasm'. */
export const reluBackpropConfig: KernelConfig = {
  kernelName: RELU_BACKPROP,
  backendName: 'wasm',
  kernelFunc: reluBackprop,
};
