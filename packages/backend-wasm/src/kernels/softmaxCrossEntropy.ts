// A classifier head's fused kernels for wasm, from @nutshell/backend: the softmax cross-entropy and its gradient (one
// kernel each instead of about 15 forward and 15 backward) and the categorical accuracy (one instead of ArgMax,
// ArgMax, Equal and Cast), each otherwise dispatched through tfjs's engine, whose per-kernel cost, not arithmetic,
// was most of their time on [batch, classes] logits. @nutshell/backend's loops run over the tensors in the wasm
// heap, with no copy. 'native' copies 'wasm''s kernel table, so it runs these too.
import {
  CATEGORICAL_ACCURACY,
  SOFTMAX_CROSS_ENTROPY,
  SOFTMAX_CROSS_ENTROPY_GRAD,
  categoricalAccuracyValues,
  softmaxCrossEntropyGradValues,
  softmaxCrossEntropyValues,
  type SoftmaxCrossEntropyAttrs,
} from '@nutshell/backend';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { asWasm, heapF32 } from './heap.js';

/** Targets as the value functions take them: class indices `[batch]` (int32 or float32) or dense rows. */
const targets = (backend: BackendWasm, labels: TensorInfo) => ({
  values: backend.typedArrayFromHeap(labels) as Float32Array | Int32Array,
  sparse: labels.shape.length === 1,
});

const softmaxCrossEntropy: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { logits, labels } = inputs as Record<'logits' | 'labels', TensorInfo>;
  const { reduction } = attrs as unknown as SoftmaxCrossEntropyAttrs;
  const [batch, classes] = logits.shape;
  // Allocate first: an allocation may grow the heap, which detaches views taken before it.
  const out = backend.makeOutput(reduction === 'none' ? [batch] : [], 'float32');
  softmaxCrossEntropyValues(
    heapF32(backend, logits),
    targets(backend, labels),
    classes,
    reduction,
    heapF32(backend, out),
  );
  return out;
};

const softmaxCrossEntropyGrad: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { logits, labels, dy } = inputs as Record<'logits' | 'labels' | 'dy', TensorInfo>;
  const { reduction } = attrs as unknown as SoftmaxCrossEntropyAttrs;
  const out = backend.makeOutput(logits.shape, 'float32');
  softmaxCrossEntropyGradValues(
    heapF32(backend, logits),
    targets(backend, labels),
    heapF32(backend, dy),
    logits.shape[1],
    reduction,
    heapF32(backend, out),
  );
  return out;
};

const categoricalAccuracy: KernelFunc = ({ inputs, backend: b }) => {
  const backend = asWasm(b);
  const { yTrue, yPred } = inputs as Record<'yTrue' | 'yPred', TensorInfo>;
  const out = backend.makeOutput([yPred.shape[0]], 'float32');
  const t = targets(backend, yTrue);
  categoricalAccuracyValues(
    t.values,
    t.sparse,
    heapF32(backend, yPred),
    yPred.shape[1],
    heapF32(backend, out),
  );
  return out;
};

/** The fused softmax cross-entropy for 'wasm'. */
export const softmaxCrossEntropyConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  backendName: 'wasm',
  kernelFunc: softmaxCrossEntropy,
};
/** Its gradient with respect to the logits for 'wasm'. */
export const softmaxCrossEntropyGradConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY_GRAD,
  backendName: 'wasm',
  kernelFunc: softmaxCrossEntropyGrad,
};
/** The fused categorical accuracy for 'wasm'. */
export const categoricalAccuracyConfig: KernelConfig = {
  kernelName: CATEGORICAL_ACCURACY,
  backendName: 'wasm',
  kernelFunc: categoricalAccuracy,
};
