// BatchMatMul and _FusedMatMul on ONNX Runtime's MatMul (MLAS, multi-threaded, AVX-512 where the CPU has it).
//
// ONNX's MatMul has numpy semantics: batches broadcast, no transposes. Operands are viewed as [batch, m, k] and
// [batch, k, n] (a batch of 1 broadcasts), a transposed operand is transposed here first (O(size), against the
// product's O(m·k·n)), and a fused bias and activation are applied to the output in place. Everything else falls
// back to tfjs-backend-cpu's kernel: int32 operands, PReLU fusions, biases that are not one value or one per column,
// and batches that broadcast over more than one axis. An empty inner dimension gives zeros (plus the bias).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runGraph } from '../onnxRuntime.js';
import { applyBiasAndActivation, canFuse } from './activation.js';
import type { Activation } from './activation.js';
import { swapLastAxes, tensorFrom, valuesOf } from './tensorData.js';

const size = tf.util.sizeFromShape;

interface Product {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly batchA: number;
  readonly batchB: number;
  readonly outShape: number[];
}

function describe(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): Product | undefined {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) return undefined;
  let outBatch: number[];
  try {
    outBatch = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    return undefined;
  }
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  const batch = size(outBatch);
  if ((batchA !== 1 && batchA !== batch) || (batchB !== 1 && batchB !== batch)) return undefined;
  return { m, k, n, batchA, batchB, outShape: [...outBatch, m, n] };
}

const MATMUL = () => ({
  nodes: [{ opType: 'MatMul', inputs: ['x0', 'x1'], outputs: ['y'] }],
  inputRanks: [3, 3],
  outputRank: 3,
});

/** a · b on the native library, as a new array of [max(batchA, batchB), m, n] values. */
export function nativeMatMul(
  a: Float32Array,
  b: Float32Array,
  p: Pick<Product, 'm' | 'k' | 'n' | 'batchA' | 'batchB'>,
  transposeA: boolean,
  transposeB: boolean,
): Float32Array {
  const { m, k, n, batchA, batchB } = p;
  // Empty products: zeros (ONNX Runtime is not asked to multiply nothing).
  if (k === 0 || m === 0 || n === 0 || batchA === 0 || batchB === 0)
    return new Float32Array(Math.max(batchA, batchB) * m * n);
  const A = transposeA ? swapLastAxes(a, batchA, k, m) : a;
  const B = transposeB ? swapLastAxes(b, batchB, n, k) : b;
  return runGraph('MatMul', MATMUL, [
    { data: A, shape: [batchA, m, k] },
    { data: B, shape: [batchB, k, n] },
  ]).data;
}

function matMulKernel(fallback: KernelFunc, fused: boolean): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined> & {
      a: TensorInfo;
      b: TensorInfo;
    };
    const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as unknown as {
      transposeA: boolean;
      transposeB: boolean;
      activation?: Activation;
      leakyreluAlpha?: number;
    };
    const p =
      a.dtype === 'float32' && b.dtype === 'float32' ? describe(a, b, transposeA, transposeB) : undefined;
    if (!p || preluActivationWeights || (fused && !canFuse(activation, bias, p.n))) return fallback(args);
    const out = nativeMatMul(valuesOf(backend, a), valuesOf(backend, b), p, transposeA, transposeB);
    if (fused)
      applyBiasAndActivation(out, bias ? valuesOf(backend, bias) : undefined, activation, leakyreluAlpha);
    return tensorFrom(backend, p.outShape, out);
  };
}

/** BatchMatMul for 'native'; `fallback` is tfjs-backend-cpu's. */
export function batchMatMulConfig(fallback: KernelFunc): KernelConfig {
  return { kernelName: tf.BatchMatMul, backendName: 'native', kernelFunc: matMulKernel(fallback, false) };
}

/** _FusedMatMul (matmul + bias + activation) for 'native'; `fallback` is tfjs-backend-cpu's. */
export function fusedMatMulConfig(fallback: KernelFunc): KernelConfig {
  return { kernelName: tf._FusedMatMul, backendName: 'native', kernelFunc: matMulKernel(fallback, true) };
}
