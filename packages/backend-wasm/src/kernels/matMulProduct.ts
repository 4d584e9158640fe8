// The geometry of a BatchMatMul call, shared by the wasm matmul and the native backend's (which runs on wasm's heap).
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';

const size = tf.util.sizeFromShape;

/**
 * What one matmul call multiplies: a [batchA, m, k] · b [batchB, k, n] after transposes, and the output shape.
 * @public
 */
export interface MatMulProduct {
  /** Rows of the product. */
  readonly m: number;
  /** The shared (inner) dimension. */
  readonly k: number;
  /** Columns of the product. */
  readonly n: number;
  /** Entries in a's batch (1 broadcasts). */
  readonly batchA: number;
  /** Entries in b's batch (1 broadcasts). */
  readonly batchB: number;
  /** The output shape, broadcast batch dims first. */
  readonly outShape: number[];
}

/**
 * The geometry of `a · b` with tfjs's BatchMatMul semantics (transposes, broadcast batches), or `undefined` when
 * flat batch indices do not map onto the operands (then a kernel falls back). Shared by the wasm and native matmuls.
 * @public
 */
export function describeMatMul(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): MatMulProduct | undefined {
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
  // Flat batch indices map onto each operand only when it has one entry or all of them (as tfjs's loop assumes).
  if ((batchA !== 1 && batchA !== batch) || (batchB !== 1 && batchB !== batch)) return undefined;
  return { m, k, n, batchA, batchB, outShape: [...outBatch, m, n] };
}
