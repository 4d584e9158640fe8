// Fused softmax cross-entropy: the loss of logits against targets (one-hot or soft rows, or class indices) in one
// kernel, and its gradient, (softmax − y)·dy, in another. Written with tensor ops, a log-softmax cross-entropy and
// its mean are about 15 kernels forward and 15 backward (Max, Sub, Exp, Sum, Log, Sub, Multiply, Sum, Neg, Sum,
// RealDiv, and the chain rule back through each), and on the CPU-side backends each kernel's dispatch costs more
// than the arithmetic on a [64, 10] batch. The kernels are registered per backend (cpu here, wasm and native by
// @nutshell/backend-wasm); where a backend has none (WebGPU, CUDA) the loss runs its tensor ops as before.
//
// The arithmetic is float64 over float32 inputs, rounded to float32 once per output: within float32 rounding of
// the op-by-op result, which rounds after every op. IEEE special values propagate as they do op by op: a NaN or
// +Inf logit makes its row's loss NaN, a −Inf logit with a zero target gives 0·(−Inf) = NaN, as the product of the
// target and the log-softmax does.
import type { GradConfig, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from './tfjs.js';
import { replaceKernels } from './replaceKernels.js';

/**
 * Kernel name of the fused softmax cross-entropy: inputs `{ logits, labels }`, attrs `{ reduction }`; output the
 * loss per sample `[batch]` (`'none'`) or its sum or mean over the batch `[]`.
 * @public
 */
export const SOFTMAX_CROSS_ENTROPY = 'NutshellSoftmaxCrossEntropy';
/**
 * Kernel name of its gradient with respect to the logits: inputs `{ logits, labels, dy }` (dy shaped as the
 * forward output), attrs `{ reduction }`; output `[batch, classes]`.
 * @public
 */
export const SOFTMAX_CROSS_ENTROPY_GRAD = 'NutshellSoftmaxCrossEntropyGrad';

/** How the fused loss reduces its per-sample values: as `@nutshell/train`'s reductions. @public */
export type CrossEntropyReduction = 'none' | 'sum' | 'mean';

/** The fused softmax cross-entropy's attributes. @public */
export interface SoftmaxCrossEntropyAttrs {
  /** `'none'` (one loss per sample), `'sum'` or `'mean'` (over the batch; a batch of 0 has mean 0). */
  readonly reduction: CrossEntropyReduction;
}

/**
 * The targets of one call: dense rows `[batch, classes]` (one-hot or soft), or one class index per sample
 * (`[batch]`, int32 or integer-valued float32; an index outside [0, classes) is a row of zeros, as one-hot
 * encoding makes it).
 * @public
 */
export interface CrossEntropyTargets {
  /** The values, row-major. */
  readonly values: Float32Array | Int32Array;
  /** True for class indices, false for dense rows. */
  readonly sparse: boolean;
}

/** Row i's target for class k: its dense value, or 1 where k is its class index. */
function target(t: CrossEntropyTargets, i: number, k: number, classes: number): number {
  if (!t.sparse) return t.values[i * classes + k];
  // As tfjs's cast to int32 converts (ToInt32), then one-hot.
  return (t.values[i] | 0) === k ? 1 : 0;
}

/**
 * A row's log-sum-exp, max + log Σ exp(x − max), in float64; NaN when the row holds a NaN or +Inf, or is all −Inf,
 * as the op-by-op log-softmax gives.
 */
function logSumExp(logits: Float32Array, offset: number, classes: number): number {
  let max = -Infinity;
  let nan = false;
  for (let k = 0; k < classes; k++) {
    const x = logits[offset + k];
    if (x > max) max = x;
    else if (x !== x) nan = true;
  }
  if (nan) return NaN;
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += Math.exp(logits[offset + k] - max);
  // max = +Inf gives Inf − Inf = NaN above; max = −Inf (every logit −Inf) gives NaN here, as tfjs's Sub does.
  return max + Math.log(sum);
}

/**
 * The softmax cross-entropy −Σₖ yₖ·log softmax(x)ₖ of each row of `logits` (`batch` × `classes`), written to
 * `out`: one value per row (`'none'`) or their sum or mean (`out[0]`).
 * @public
 */
export function softmaxCrossEntropyValues(
  logits: Float32Array,
  labels: CrossEntropyTargets,
  classes: number,
  reduction: CrossEntropyReduction,
  out: Float32Array,
): void {
  const batch = classes > 0 ? logits.length / classes : 0;
  let total = 0;
  for (let i = 0; i < batch; i++) {
    const offset = i * classes;
    const shift = logSumExp(logits, offset, classes);
    let loss = 0;
    // Every class, not only the target's: 0·(−Inf) must give NaN as it does op by op.
    for (let k = 0; k < classes; k++) loss -= target(labels, i, k, classes) * (logits[offset + k] - shift);
    if (reduction === 'none') out[i] = loss;
    else total += loss;
  }
  if (reduction !== 'none') out[0] = reduction === 'sum' ? total : total / Math.max(1, batch);
}

/**
 * The gradient of `softmaxCrossEntropyValues` with respect to the logits, written to `out` (`batch` × `classes`):
 * s·(softmax(x)ₖ·Σⱼ yⱼ − yₖ), where s is the row's dy (`'none'`), dy (`'sum'`) or dy/batch (`'mean'`).
 * @public
 */
export function softmaxCrossEntropyGradValues(
  logits: Float32Array,
  labels: CrossEntropyTargets,
  dy: Float32Array,
  classes: number,
  reduction: CrossEntropyReduction,
  out: Float32Array,
): void {
  const batch = classes > 0 ? logits.length / classes : 0;
  const scale = reduction === 'mean' ? dy[0] / Math.max(1, batch) : dy[0];
  if (exps.length < classes) exps = new Float64Array(classes);
  for (let i = 0; i < batch; i++) {
    const offset = i * classes;
    // One exp per logit: e = exp(x − max), softmax = e / Σe (NaN for a row holding a NaN or +Inf, or all −Inf).
    let max = -Infinity;
    let nan = false;
    for (let k = 0; k < classes; k++) {
      const x = logits[offset + k];
      if (x > max) max = x;
      else if (x !== x) nan = true;
    }
    let sum = nan ? NaN : 0;
    for (let k = 0; k < classes; k++) sum += exps[k] = Math.exp(logits[offset + k] - max);
    const s = reduction === 'none' ? dy[i] : scale;
    let targetSum = 0;
    for (let k = 0; k < classes; k++) targetSum += target(labels, i, k, classes);
    for (let k = 0; k < classes; k++) {
      out[offset + k] = s * ((exps[k] / sum) * targetSum - target(labels, i, k, classes));
    }
  }
}

/** Scratch for one row's exponentials (grown to the widest row seen). */
let exps = new Float64Array(16);

/** The shapes a fused call needs: logits `[batch, classes]`, labels `[batch, classes]` or `[batch]`. */
function fusable(logits: Tensor, labels: Tensor): boolean {
  if (logits.rank !== 2 || logits.dtype !== 'float32' || logits.size === 0) return false;
  const [batch, classes] = logits.shape;
  if (labels.rank === 2)
    return labels.dtype === 'float32' && labels.shape[0] === batch && labels.shape[1] === classes;
  return (
    labels.rank === 1 && labels.shape[0] === batch && (labels.dtype === 'int32' || labels.dtype === 'float32')
  );
}

/**
 * Runs the fused softmax cross-entropy on the current backend: the loss per sample (`'none'`) or its sum or mean,
 * differentiable with respect to the logits and dense labels. `undefined` where the backend has no such kernel
 * (WebGPU, CUDA), or where the inputs are not float32 logits `[batch, classes]` with float32 rows or int32/float32
 * class indices `[batch]` of the same batch: the caller then runs its tensor ops. The caller owns the result.
 * @public
 */
export function runSoftmaxCrossEntropy(
  logits: Tensor,
  labels: Tensor,
  reduction: CrossEntropyReduction,
): Tensor | undefined {
  const backend = tf.getBackend();
  if (!tf.getKernel(SOFTMAX_CROSS_ENTROPY, backend) || !tf.getKernel(SOFTMAX_CROSS_ENTROPY_GRAD, backend))
    return undefined;
  if (!fusable(logits, labels)) return undefined;
  return tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels }, { reduction }) as Tensor;
}

/**
 * The gradient: the logits' by the fused kernel; dense labels' (rarely asked for: the tape prunes inputs that do
 * not depend on the weights) with ops, −log softmax(x)·s; class indices have none (zeros).
 */
const softmaxCrossEntropyGrad: GradConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  inputsToSave: ['logits', 'labels'],
  gradFunc: (dy, saved, attrs) => {
    const [logits, labels] = saved;
    const { reduction } = attrs as unknown as SoftmaxCrossEntropyAttrs;
    const d = dy as Tensor;
    return {
      logits: () =>
        tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, { logits, labels, dy: d }, { reduction }) as Tensor,
      labels: () => {
        if (labels.rank !== 2) return tf.zeros(labels.shape, 'float32');
        const batch = logits.shape[0];
        const s =
          reduction === 'none'
            ? tf.reshape(d, [batch, 1])
            : reduction === 'sum'
              ? d
              : tf.div(d, Math.max(1, batch));
        return tf.mul(tf.neg(tf.logSoftmax(logits)), s);
      },
    };
  },
};

/** A tensor's values on the CPU backend (no copy). */
const cpuValues = (backend: MathBackendCPU, t: TensorInfo) =>
  backend.data.get(t.dataId).values as Float32Array | Int32Array;

/** The targets of a kernel call, from their TensorInfo and values. */
function crossEntropyTargets(labels: TensorInfo, values: Float32Array | Int32Array): CrossEntropyTargets {
  return { values, sparse: labels.shape.length === 1 };
}

const cpuSoftmaxCrossEntropy: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as MathBackendCPU;
  const { logits, labels } = inputs as Record<'logits' | 'labels', TensorInfo>;
  const { reduction } = attrs as unknown as SoftmaxCrossEntropyAttrs;
  const [batch, classes] = logits.shape;
  const out = new Float32Array(reduction === 'none' ? batch : 1);
  softmaxCrossEntropyValues(
    cpuValues(backend, logits) as Float32Array,
    crossEntropyTargets(labels, cpuValues(backend, labels)),
    classes,
    reduction,
    out,
  );
  return backend.makeTensorInfo(reduction === 'none' ? [batch] : [], 'float32', out);
};

const cpuSoftmaxCrossEntropyGrad: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as MathBackendCPU;
  const { logits, labels, dy } = inputs as Record<'logits' | 'labels' | 'dy', TensorInfo>;
  const { reduction } = attrs as unknown as SoftmaxCrossEntropyAttrs;
  const out = new Float32Array(tf.util.sizeFromShape(logits.shape));
  softmaxCrossEntropyGradValues(
    cpuValues(backend, logits) as Float32Array,
    crossEntropyTargets(labels, cpuValues(backend, labels)),
    cpuValues(backend, dy) as Float32Array,
    logits.shape[1],
    reduction,
    out,
  );
  return backend.makeTensorInfo(logits.shape, 'float32', out);
};

const cpuConfigs: Record<string, KernelConfig> = {
  [SOFTMAX_CROSS_ENTROPY]: {
    kernelName: SOFTMAX_CROSS_ENTROPY,
    backendName: 'cpu',
    kernelFunc: cpuSoftmaxCrossEntropy,
  },
  [SOFTMAX_CROSS_ENTROPY_GRAD]: {
    kernelName: SOFTMAX_CROSS_ENTROPY_GRAD,
    backendName: 'cpu',
    kernelFunc: cpuSoftmaxCrossEntropyGrad,
  },
};

/** Registers the fused loss kernels for 'cpu' and their gradient (for every backend). Idempotent. */
export function registerFusedLossKernels(): void {
  tf.registerGradient(softmaxCrossEntropyGrad);
  replaceKernels(
    'cpu',
    Object.keys(cpuConfigs).map((kernelName) => ({ kernelName, make: () => cpuConfigs[kernelName] })),
  );
}
