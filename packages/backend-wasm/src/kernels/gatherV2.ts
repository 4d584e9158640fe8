// GatherV2 with batchDims > 0 for wasm. tfjs-backend-wasm 4.22's C++ gather reads the wrong indices for batch
// entries after the first in some shapes: x [2, 3, 2] gathered along axis 1 with indices [[2, 0, 2], [1, 1, 0]]
// gives the second entry rows 2, 1, 1 instead of 1, 1, 0, silently (found by the conformance suite). batchDims = 0 goes to tfjs's kernel unchanged; batched
// gathers are done here, on the heap: out[b, o, j, s] = x[b, o, indices[b, j], s]. Indices out of range never get here:
// @nutshell/backend's kernel guard (guardKernels, registered after this kernel) refuses them first.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm } from './heap.js';

function makeGatherV2(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { inputs, backend: b, attrs } = args;
    const { axis, batchDims = 0 } = attrs as unknown as { axis: number; batchDims?: number };
    if (batchDims === 0 && fallback) return fallback(args);
    const backend = asWasm(b);
    const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
    const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0];
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as unknown as tf.Tensor,
      indices as unknown as tf.Tensor,
      parsedAxis,
      batchDims,
    );
    const { batchSize, outerSize, dimSize, sliceSize } = info;
    const perBatch = tf.util.sizeFromShape(indices.shape) / batchSize;
    const out = backend.makeOutput(info.outputShape, x.dtype);
    const xs = backend.typedArrayFromHeap(x);
    const ids = backend.typedArrayFromHeap(indices);
    const ys = backend.typedArrayFromHeap(out);
    for (let bi = 0; bi < batchSize; bi++) {
      for (let o = 0; o < outerSize; o++) {
        for (let j = 0; j < perBatch; j++) {
          const from = ((bi * outerSize + o) * dimSize + ids[bi * perBatch + j]) * sliceSize;
          ys.set(xs.subarray(from, from + sliceSize), ((bi * outerSize + o) * perBatch + j) * sliceSize);
        }
      }
    }
    return out;
  };
}

/** Nutshell's GatherV2 kernel for the 'wasm' backend (tfjs's for batchDims = 0). */
export function gatherV2Config(fallback: KernelFunc | undefined): KernelConfig {
  return { kernelName: tf.GatherV2, backendName: 'wasm', kernelFunc: makeGatherV2(fallback) };
}
