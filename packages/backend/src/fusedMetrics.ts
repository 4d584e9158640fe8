// Fused categorical accuracy: whether each sample's predicted class (the arg-max of its row) is its true class (a
// class index, or the arg-max of a one-hot row), in one kernel instead of ArgMax, ArgMax, Equal and Cast. A
// training step computes it every batch; on the CPU-side backends the four dispatches cost more than the work.
// Registered per backend (cpu here, wasm and native by @nutshell/backend-wasm); elsewhere the metric runs its ops.
import type { GradConfig, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from './tfjs.js';
import { replaceKernels } from './replaceKernels.js';

/**
 * Kernel name of the fused categorical accuracy: inputs `{ yTrue, yPred }` (yPred `[batch, classes]`; yTrue the same
 * shape, or class indices `[batch]`); output `[batch]` float32, 1 where the arg-maxes agree, else 0.
 * @public
 */
export const CATEGORICAL_ACCURACY = 'NutshellCategoricalAccuracy';

/** The first index of a row's largest value, as tfjs's ArgMax picks it (a NaN is never larger). */
function argMax(values: Float32Array | Int32Array, offset: number, classes: number): number {
  let best = 0;
  let max = values[offset];
  for (let k = 1; k < classes; k++) {
    const v = values[offset + k];
    if (v > max) {
      max = v;
      best = k;
    }
  }
  return best;
}

/**
 * Writes 1 to `out[i]` where row i of `yPred` (`classes` wide) has its arg-max at the true class, else 0. `yTrue`
 * holds rows of `classes` (their arg-max is the class) or, with `sparse`, one class index per row (converted to
 * int32 as tfjs's Cast does).
 * @public
 */
export function categoricalAccuracyValues(
  yTrue: Float32Array | Int32Array,
  sparse: boolean,
  yPred: Float32Array,
  classes: number,
  out: Float32Array,
): void {
  for (let i = 0; i < out.length; i++) {
    const label = sparse ? yTrue[i] | 0 : argMax(yTrue, i * classes, classes);
    out[i] = argMax(yPred, i * classes, classes) === label ? 1 : 0;
  }
}

/**
 * Runs the fused categorical accuracy on the current backend: `[batch]`, 1 where the predicted class is the true
 * one. `undefined` where the backend has no such kernel (WebGPU, CUDA) or the inputs are not float32 predictions
 * `[batch, classes]` with float32 rows of the same shape or int32/float32 class indices `[batch]`: the caller then
 * runs its tensor ops. The caller owns the result.
 * @public
 */
export function runCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor | undefined {
  if (!tf.getKernel(CATEGORICAL_ACCURACY, tf.getBackend())) return undefined;
  if (yPred.rank !== 2 || yPred.dtype !== 'float32' || yPred.size === 0) return undefined;
  const [batch, classes] = yPred.shape;
  const dense =
    yTrue.rank === 2 && yTrue.dtype === 'float32' && yTrue.shape[0] === batch && yTrue.shape[1] === classes;
  const sparse =
    yTrue.rank === 1 && yTrue.shape[0] === batch && (yTrue.dtype === 'int32' || yTrue.dtype === 'float32');
  if (!dense && !sparse) return undefined;
  return tf.engine().runKernel(CATEGORICAL_ACCURACY, { yTrue, yPred }) as Tensor;
}

/** Accuracy is a step function: zero gradient almost everywhere, as tfjs's ArgMax gives. */
const categoricalAccuracyGrad: GradConfig = {
  kernelName: CATEGORICAL_ACCURACY,
  inputsToSave: ['yTrue', 'yPred'],
  gradFunc: (_dy, saved) => ({
    yTrue: () => tf.zeros(saved[0].shape, 'float32'),
    yPred: () => tf.zeros(saved[1].shape, 'float32'),
  }),
};

const cpuCategoricalAccuracy: KernelFunc = ({ inputs, backend: b }) => {
  const backend = b as MathBackendCPU;
  const { yTrue, yPred } = inputs as Record<'yTrue' | 'yPred', TensorInfo>;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array | Int32Array;
  const out = new Float32Array(yPred.shape[0]);
  categoricalAccuracyValues(
    values(yTrue),
    yTrue.shape.length === 1,
    values(yPred) as Float32Array,
    yPred.shape[1],
    out,
  );
  return backend.makeTensorInfo([yPred.shape[0]], 'float32', out);
};

const cpuConfig: KernelConfig = {
  kernelName: CATEGORICAL_ACCURACY,
  backendName: 'cpu',
  kernelFunc: cpuCategoricalAccuracy,
};

/** Registers the fused metric kernel for 'cpu' and its gradient (for every backend). Idempotent. */
export function registerFusedMetricKernels(): void {
  tf.registerGradient(categoricalAccuracyGrad);
  replaceKernels('cpu', [{ kernelName: CATEGORICAL_ACCURACY, make: () => cpuConfig }]);
}
