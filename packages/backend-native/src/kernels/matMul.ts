// BatchMatMul and _FusedMatMul on ONNX Runtime's MatMul (MLAS, multi-threaded, AVX-512 where the CPU has it).
//
// ONNX's MatMul has numpy semantics: batches broadcast, no transposes. Operands are viewed as [batch, m, k] and
// [batch, k, n] (a batch of 1 broadcasts), a transposed operand is transposed in the graph (which ONNX Runtime fuses
// into the GEMM), and a fused bias and activation are applied to the output in place. Everything else falls
// back to the wasm kernel: int32 operands, PReLU fusions, biases that are not one value or one per column,
// and batches that broadcast over more than one axis. An empty inner dimension gives zeros (plus the bias).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { describeMatMul } from '@nutshell/backend-wasm';
import type { MatMulProduct } from '@nutshell/backend-wasm';
import { runGraph } from '../onnxRuntime.js';
import { applyBiasAndActivation, canFuse } from './activation.js';
import type { Activation } from './activation.js';
import { outputFilledBy, valuesOf } from './tensorData.js';
import type { GraphNode } from '../onnxModel.js';

/**
 * MatMul with its transposed operands transposed in the graph: ONNX Runtime fuses Transpose + MatMul into one
 * MLAS GEMM with transpose flags (its MatmulTransposeFusion), so nothing is copied.
 */
function matMulGraph(transposeA: boolean, transposeB: boolean) {
  return () => {
    const nodes: GraphNode[] = [];
    const a = transposeA ? 'at' : 'x0';
    const b = transposeB ? 'bt' : 'x1';
    if (transposeA)
      nodes.push({ opType: 'Transpose', inputs: ['x0'], outputs: ['at'], attributes: { perm: [0, 2, 1] } });
    if (transposeB)
      nodes.push({ opType: 'Transpose', inputs: ['x1'], outputs: ['bt'], attributes: { perm: [0, 2, 1] } });
    nodes.push({ opType: 'MatMul', inputs: [a, b], outputs: ['y'] });
    return { nodes, inputRanks: [3, 3], outputRank: 3 };
  };
}

/**
 * a · b on the native library into `out` ([max(batchA, batchB), m, n] values). `a` and `b` may be views of the wasm
 * heap: take them after allocating `out`'s tensor.
 */
export function nativeMatMul(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  p: Pick<MatMulProduct, 'm' | 'k' | 'n' | 'batchA' | 'batchB'>,
  transposeA: boolean,
  transposeB: boolean,
): void {
  const { m, k, n, batchA, batchB } = p;
  // Empty products: zeros (ONNX Runtime is not asked to multiply nothing).
  if (k === 0 || out.length === 0) {
    out.fill(0);
    return;
  }
  runGraph(
    `MatMul ${transposeA} ${transposeB}`,
    matMulGraph(transposeA, transposeB),
    [
      { data: a, shape: transposeA ? [batchA, k, m] : [batchA, m, k] },
      { data: b, shape: transposeB ? [batchB, n, k] : [batchB, k, n] },
    ],
    { data: out, shape: [Math.max(batchA, batchB), m, n] },
    out.length * k,
  );
}

/**
 * Multiply-adds below which a product stays on wasm's XNNPACK kernel: for W1's 64×784×10 (0.5 M) a call into
 * ONNX Runtime costs more than XNNPACK's whole product (measured: W1 trained at 0.74× wasm's speed on native).
 */
let nativeMinWork = 1 << 20;

/** Changes the threshold (tests set 0 to run every product natively). Returns the previous value. */
export function setNativeMinWork(work: number): number {
  const previous = nativeMinWork;
  nativeMinWork = work;
  return previous;
}

function matMulKernel(fallback: KernelFunc, wasm: KernelFunc, fused: boolean): KernelFunc {
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
      a.dtype === 'float32' && b.dtype === 'float32'
        ? describeMatMul(a, b, transposeA, transposeB)
        : undefined;
    if (!p || preluActivationWeights || (fused && !canFuse(activation, bias, p.n))) return fallback(args);
    if (Math.max(p.batchA, p.batchB) * p.m * p.k * p.n < nativeMinWork) return wasm(args);
    return outputFilledBy(backend, p.outShape, (out) => {
      nativeMatMul(valuesOf(backend, a), valuesOf(backend, b), out, p, transposeA, transposeB);
      if (fused)
        applyBiasAndActivation(out, bias ? valuesOf(backend, bias) : undefined, activation, leakyreluAlpha);
    });
  };
}

/** BatchMatMul for 'native'; `fallback` is the wasm kernel. */
export function batchMatMulConfig(fallback: KernelFunc, wasm: KernelFunc): KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: 'native',
    kernelFunc: matMulKernel(fallback, wasm, false),
  };
}

/** _FusedMatMul (matmul + bias + activation) for 'native'; `fallback` is the wasm kernel. */
export function fusedMatMulConfig(fallback: KernelFunc, wasm: KernelFunc): KernelConfig {
  return {
    kernelName: tf._FusedMatMul,
    backendName: 'native',
    kernelFunc: matMulKernel(fallback, wasm, true),
  };
}
