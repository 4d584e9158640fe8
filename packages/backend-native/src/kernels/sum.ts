// Sum on ONNX Runtime's ReduceSum, for the large float32 reductions of training: a bias gradient sums dy
// [b, h, w, c] over its leading axes. tfjs-backend-wasm's Sum first transposes the reduced axes innermost (a full
// copy of the tensor), then sums rows; ONNX Runtime reduces leading axes in place (its "RK" fast path), measured
// 3–6× faster on LeNet's [64, 24, 24, 8] and [32, 24, 24, 16]. Small sums (the loss's mean, metrics) cost less than
// a call into ONNX Runtime and stay on the wasm kernel, as do int32 sums.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runGraph } from '../onnxRuntime.js';
import { valuesOf } from './tensorData.js';

/** Elements below which a sum stays on the wasm kernel (a call into ONNX Runtime costs about 10–20 µs). */
let nativeMinSize = 1 << 15;

/** Changes the threshold (tests set 0 to run every float32 sum natively). Returns the previous value. */
export function setSumNativeMinSize(size: number): number {
  const previous = nativeMinSize;
  nativeMinSize = size;
  return previous;
}

function sumKernel(fallback: KernelFunc, wasm: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== 'float32') return fallback(args);
    const size = tf.util.sizeFromShape(x.shape);
    if (size < nativeMinSize) return wasm(args);
    // An axis out of range throws here; withFallback then runs the wasm kernel, which raises tfjs's own error.
    const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
    if (axes.length === 0) return fallback(args);
    const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const result = backend.makeOutput(outShape, 'float32');
    runGraph(
      `ReduceSum ${x.shape.length} ${axes}`,
      () => ({
        nodes: [{ opType: 'ReduceSum', inputs: ['x0', 'axes'], outputs: ['y'], attributes: { keepdims: 0 } }],
        constants: { axes },
        inputRanks: [x.shape.length],
        outputRank: outShape.length,
      }),
      [{ data: valuesOf(backend, x), shape: x.shape }],
      { data: valuesOf(backend, result), shape: outShape },
      0, // memory-bound: one thread (a second one does not pay for a few hundred kB)
    );
    if (keepDims) result.shape = tf.backend_util.expandShapeToKeepDim(outShape, axes);
    return result;
  };
}

/** Sum for 'native'; `fallback` is the wasm kernel (counted), `wasm` the same, for sums too small to pay. */
export function sumConfig(fallback: KernelFunc, wasm: KernelFunc): KernelConfig {
  return { kernelName: tf.Sum, backendName: 'native', kernelFunc: sumKernel(fallback, wasm) };
}
