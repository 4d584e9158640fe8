// UnsortedSegmentSum for wasm (tfjs-backend-wasm 4.22 has none, and tf.gather's gradient needs it, so an
// embedding lookup or any gather could not train on wasm). Rows of x are added into the output row their
// segment id names; ids outside [0, numSegments) are dropped, as in TensorFlow.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, heapF32 } from './heap.js';

const unsortedSegmentSum: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  if (x.dtype !== 'float32') throw new Error(`wasm UnsortedSegmentSum: only float32 is supported, got ${x.dtype}.`);
  const rows = segmentIds.shape.reduce((a, c) => a * c, 1);
  const inner = rows === 0 ? 0 : x.shape.reduce((a, c) => a * c, 1) / rows;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const outInfo = backend.makeOutput(outShape, 'float32');
  const out = heapF32(backend, outInfo);
  const xs = heapF32(backend, x);
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const seg = ids[r];
    if (seg < 0 || seg >= numSegments) continue;
    const from = r * inner;
    const to = seg * inner;
    for (let k = 0; k < inner; k++) out[to + k] += xs[from + k];
  }
  return outInfo;
};

/** Nutshell's UnsortedSegmentSum kernel for the 'wasm' backend. */
export const unsortedSegmentSumConfig: KernelConfig = { kernelName: tf.UnsortedSegmentSum, backendName: 'wasm', kernelFunc: unsortedSegmentSum };
