// A relu's backward pass in one kernel: dy where the relu's output is positive, and, when asked, the bias gradient
// (that masked dy summed over every axis but the last). Written with tensor ops it is Step, Multiply and Sum; a
// convolution layer fused with its bias and relu (@nutshell/conv's FusedConv2D gradient) runs all three on its
// whole output, [batch, height, width, channels], every step: on wasm 0.2 ms of the main job's 4.3 ms step for
// the first layer. The kernel is registered per backend (cpu here, wasm and native by @nutshell/backend-wasm);
// where a backend has none (WebGPU, CUDA) the caller runs the tensor ops as before.
//
// Values as the ops give them: dy·step(y), where step(y) is 1 for y > 0 and 0 otherwise, so dy·0 keeps a NaN or
// infinite dy's NaN; a NaN output y gives NaN (tfjs's CPU Step returns NaN for NaN). The bias sum is float32
// accumulation, row by row, as tfjs's Sum does.
import type { KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from './tfjs.js';
import { replaceKernels } from './replaceKernels.js';

/**
 * Kernel name of the fused relu backward pass: inputs `{ dy, y }` (same shape, float32; `y` is the relu's
 * output), attrs `{ biasGradient }`; outputs `[dx]`, or `[dx, db]` with `db` of shape `[channels]` (the last axis).
 * @public
 */
export const RELU_BACKPROP = 'NutshellReluBackprop';

/** The fused relu backward pass's attributes. @public */
export interface ReluBackpropAttrs {
  /** Also return dx summed over every axis but the last (the gradient of a bias added before the relu). */
  readonly biasGradient: boolean;
}

/**
 * dx = dy·step(y) into `dx`, and, when `db` is given, dx summed over rows of `db.length` channels into `db`
 * (overwritten). All arrays row-major; `dy`, `y` and `dx` have the same length, a whole number of rows.
 * @public
 */
export function reluBackpropValues(
  dy: Float32Array,
  y: Float32Array,
  dx: Float32Array,
  db?: Float32Array,
): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    dx[i] = v > 0 ? dy[i] : v !== v ? NaN : dy[i] * 0;
  }
  if (!db) return;
  const channels = db.length;
  db.fill(0);
  // Accumulated in float32, as the masked values would be by tfjs's Sum.
  for (let i = 0; i < dx.length; i += channels)
    for (let c = 0; c < channels; c++) db[c] = Math.fround(db[c] + dx[i + c]);
}

/**
 * Runs the fused relu backward pass on the current backend: `[dx]`, or `[dx, db]` with `biasGradient`.
 * `undefined` where the backend has no such kernel (WebGPU, CUDA), or where `dy` and `y` are not float32 tensors
 * of the same shape with at least one axis: the caller then runs its tensor ops. The caller owns the results.
 * @public
 */
export function runReluBackprop(dy: Tensor, y: Tensor, biasGradient: boolean): Tensor[] | undefined {
  if (!tf.getKernel(RELU_BACKPROP, tf.getBackend())) return undefined;
  if (dy.dtype !== 'float32' || y.dtype !== 'float32' || y.rank === 0) return undefined;
  if (!tf.util.arraysEqual(dy.shape, y.shape)) return undefined;
  const attrs: ReluBackpropAttrs = { biasGradient };
  return tf.engine().runKernel(RELU_BACKPROP, { dy, y }, attrs as unknown as tf.NamedAttrMap) as Tensor[];
}

/** The channels (last axis) of a kernel call's `y`. */
function reluBackpropChannels(y: TensorInfo): number {
  return y.shape[y.shape.length - 1];
}

const cpuReluBackprop: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as MathBackendCPU;
  const { dy, y } = inputs as Record<'dy' | 'y', TensorInfo>;
  const { biasGradient } = attrs as unknown as ReluBackpropAttrs;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const dx = new Float32Array(tf.util.sizeFromShape(y.shape));
  const db = biasGradient ? new Float32Array(reluBackpropChannels(y)) : undefined;
  reluBackpropValues(values(dy), values(y), dx, db);
  const out = [backend.makeTensorInfo(y.shape, 'float32', dx)];
  if (db) out.push(backend.makeTensorInfo([db.length], 'float32', db));
  return out;
};

const cpuConfig: KernelConfig = {
  kernelName: RELU_BACKPROP,
  backendName: 'cpu',
  kernelFunc: cpuReluBackprop,
};

/** Registers the fused relu backward pass for 'cpu'. Idempotent. */
export function registerReluBackpropKernels(): void {
  replaceKernels('cpu', [{ kernelName: RELU_BACKPROP, make: () => cpuConfig }]);
}
