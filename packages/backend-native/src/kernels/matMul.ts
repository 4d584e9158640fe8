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

/** Multiply-add counts below which a product stays on a wasm kernel instead of a call into ONNX Runtime. */
export interface NativeMinWork {
  /** Any product: a call costs about 8–10 µs, more than wasm's whole 16×32·32×64 product (32 K: 7 µs). */
  readonly any: number;
  /**
   * A product wasm runs in its one-pass SIMD loop (at most 16 columns, `b` not transposed: Dense's forward into a
   * few units and its weight gradient xᵀ·dY; W1's 64×784×10 is 0.5 M), which has no set-up to amortise.
   */
  readonly skinny: number;
}

let minWork: NativeMinWork = { any: 1 << 16, skinny: 1 << 20 };

/** Changes the thresholds (tests set 0 to run every product natively). Returns the previous ones. */
export function setNativeMinWork(work: NativeMinWork): NativeMinWork {
  const previous = minWork;
  minWork = work;
  return previous;
}

/**
 * Whether wasm would run the product in its one-pass SIMD loop (the conditions of backend-wasm's
 * `onSkinnyPass`): at most 16 columns, a non-empty inner dimension, `b` not transposed and shared by the batch,
 * and no activation.
 */
function wasmSkinny(
  p: Pick<MatMulProduct, 'k' | 'n' | 'batchA' | 'batchB'>,
  transposeA: boolean,
  transposeB: boolean,
  activation: Activation | undefined,
): boolean {
  return (
    p.n <= 16 &&
    p.k > 0 &&
    !transposeB &&
    p.batchB === 1 &&
    !(transposeA && p.batchA !== 1) &&
    (activation === undefined || activation === 'linear')
  );
}

/**
 * Whether a product runs on wasm's kernel rather than ONNX Runtime's: small products, where the call would cost
 * more than the product. Others (a transposed `b`, as in dX = dY·Wᵀ, or many columns) would take wasm's XNNPACK
 * path, which copies a transposed operand and makes an operator for a new buffer every step: 28 µs for the main
 * job's 32×10·(512×10)ᵀ against 12 µs here (2026-12-06, quiet machine).
 */
export function staysOnWasm(
  p: Pick<MatMulProduct, 'm' | 'k' | 'n' | 'batchA' | 'batchB'>,
  transposeA: boolean,
  transposeB: boolean,
  activation?: Activation,
): boolean {
  const work = Math.max(p.batchA, p.batchB) * p.m * p.k * p.n;
  return work < minWork.any || (work < minWork.skinny && wasmSkinny(p, transposeA, transposeB, activation));
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
    if (staysOnWasm(p, transposeA, transposeB, activation)) return wasm(args);
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
