// BatchMatMul and _FusedMatMul for wasm, correct when one tensor's data comes back as weights in another shape.
// tfjs-backend-wasm 4.22 multiplies single matrices (no transposes, batch 1) with an XNNPACK fully-connected
// operator cached under {b's tensor id, bias id, activation} (src/cc/batch_mat_mul_impl.cc, xnn_matmul): b is
// packed for the shape it has the first time and the operator is reused while that id lives. A reshape shares the
// id, so matMul(x, w) with w [27, 8] followed by matMul(y, reshape(w, [9, 24])) ran the operator packed for
// [27, 8]: wrong values, or writes past the output that corrupt the heap. These wrappers remember the shape each
// buffer was first multiplied in on that path and, when it comes back in another shape, hand tfjs a fresh copy
// (freed right after, which also frees the operator tfjs cached for it). Same shape again: no copy.
//
// _FusedMatMul also read its bias wrongly: the uncached loop (transposes, batches) indexes a bias of length cols
// with min(row·cols + col, size − 1), so every row after the first got the last bias value, and XNNPACK reads
// cols values from a bias of length 1. Such biases are handed to tfjs expanded to the length it indexes.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { asWasm, release } from './heap.js';

/** The wasm tensor id a buffer had and the [rows, cols] it was first used as weights with. */
interface FirstUse {
  readonly id: number;
  readonly rows: number;
  readonly cols: number;
}

// Keyed by dataId, shared by both kernels (they share tfjs's operator cache); entries go with their buffers.
const firstUse = new WeakMap<object, FirstUse>();

const batchSize = (t: TensorInfo) => tf.util.sizeFromShape(t.shape.slice(0, -2));

/** `b` itself when its buffer is new or was first used in this shape; otherwise a copy the caller releases. */
function weightsFor(backend: BackendWasm, b: TensorInfo): TensorInfo {
  const id = backend.dataIdMap.get(b.dataId)!.id;
  const rows = b.shape[b.shape.length - 2];
  const cols = b.shape[b.shape.length - 1];
  const seen = firstUse.get(b.dataId);
  if (!seen || seen.id !== id) {
    firstUse.set(b.dataId, { id, rows, cols });
    return b;
  }
  if (seen.rows === rows && seen.cols === cols) return b;
  const copy = backend.makeOutput([...b.shape], b.dtype);
  backend.typedArrayFromHeap(copy).set(backend.typedArrayFromHeap(b));
  return copy;
}

/** A bias of the length tfjs's kernel indexes (`n`): `bias` itself when it has it, otherwise a tiled copy. */
function biasOfLength(backend: BackendWasm, bias: TensorInfo, n: number): TensorInfo {
  const size = tf.util.sizeFromShape(bias.shape);
  if (size === n) return bias;
  const tiled = backend.makeOutput([n], 'float32');
  const from = backend.typedArrayFromHeap(bias);
  const to = backend.typedArrayFromHeap(tiled);
  for (let i = 0; i < n; i++) to[i] = from[i % size];
  return tiled;
}

function guarded(kernelName: string, previous: KernelFunc | undefined): KernelFunc {
  if (!previous) throw new Error(`@nutshell/backend-wasm: tfjs-backend-wasm has no ${kernelName} kernel to wrap.`);
  return (args) => {
    const { a, b, bias } = args.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    // Only this case reaches the cached XNNPACK operator; the others run tfjs's uncached loop.
    const cached = !transposeA && !transposeB && batchSize(a) === 1 && batchSize(b) === 1;
    const backend = asWasm(args.backend);
    const weights = cached ? weightsFor(backend, b) : b;
    let fullBias = bias;
    if (bias && bias.shape.length === 1 && bias.dtype === 'float32') {
      const rows = a.shape[a.shape.length - (transposeA ? 1 : 2)];
      const cols = b.shape[b.shape.length - (transposeB ? 2 : 1)];
      const size = bias.shape[0];
      // XNNPACK reads cols values; the loop reads min(row·cols + col, size − 1), right for size 1 or one row.
      if (cached) fullBias = biasOfLength(backend, bias, cols);
      else if (size !== 1 && rows > 1) fullBias = biasOfLength(backend, bias, rows * cols);
    }
    if (weights === b && fullBias === bias) return previous(args);
    try {
      return previous({ ...args, inputs: { ...args.inputs, b: weights, ...(fullBias ? { bias: fullBias } : {}) } });
    } finally {
      if (weights !== b) release(backend, weights);
      if (fullBias && fullBias !== bias) release(backend, fullBias);
    }
  };
}

/** Nutshell's BatchMatMul for 'wasm': tfjs's, given a copy of weights whose data it cached in another shape. */
export function batchMatMulConfig(previous: KernelFunc | undefined): KernelConfig {
  return { kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc: guarded(tf.BatchMatMul, previous) };
}

/**
 * Nutshell's _FusedMatMul for 'wasm': tfjs's, given a copy of weights whose data it cached in another shape and a
 * bias expanded to the length tfjs indexes.
 */
export function fusedMatMulConfig(previous: KernelFunc | undefined): KernelConfig {
  return { kernelName: tf._FusedMatMul, backendName: 'wasm', kernelFunc: guarded(tf._FusedMatMul, previous) };
}
