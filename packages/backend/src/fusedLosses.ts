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

/** Class index `index` as a one-hot row in `scratch` (as tfjs's cast to int32 converts, ToInt32, then one-hot). */
function oneHotRow(index: number, classes: number, scratch: Float64Array): void {
  scratch.fill(0, 0, classes);
  const k = index | 0;
  if (k >= 0 && k < classes) scratch[k] = 1;
}

// exp(x) for x ≤ 0 (x − the row's max), in float64, 2.3× as fast as Math.exp (which V8 calls out of line: 640 of
// them, ≈ 5.3 µs, were half of a [64, 10] loss call). x = (256m + j)·ln2/256 + r with |r| ≤ ln2/512 (ln2/256
// split in two, k·H_HI exact for |k| < 2²¹); e^r by its Taylor series to r⁴/4! (the next term is below 4·10⁻¹⁷);
// times 2^(j/256) and 2^−m from tables. Within 5·10⁻¹⁶ of e^x relative (≈ 2 float64 ulps; the tests check against
// Math.exp), so the float32 outputs, rounded once from float64, are Math.exp's but where a float64 value lies that
// close to a float32 rounding boundary. exp(0) is 1 exactly, NaN gives NaN, and below 2⁻¹⁰²² (x < −708.39) the
// result is 0: next to the row's largest term, 1, no such value changes any float32 output of these kernels.
const STEPS = 256;
const K_SCALE = STEPS / Math.LN2;
const H_HI = 6.9314718036912381649e-1 / STEPS; // ln 2's upper 32 bits (fdlibm's ln2HI), over 256: exact products
const H_LO = 1.90821492927058770002e-10 / STEPS;
/** 2^(j/256), j = 0 … 255. */
const POW2_FRACTION = Float64Array.from({ length: STEPS }, (_, j) => 2 ** (j / STEPS));
/** 2^−m, m = 0 … 1023. */
const POW2_NEG = Float64Array.from({ length: 1024 }, (_, m) => 2 ** -m);
const [C2, C3, C4] = [1 / 2, 1 / 6, 1 / 24];

/** e^x for x ≤ 0 or NaN (see above). */
export function expNonPositive(x: number): number {
  if (!(x >= -708.39)) return x < -708.39 ? 0 : x; // NaN stays NaN and never indexes a table
  const k = (x * K_SCALE - 0.5) | 0; // the nearest integer (ties down), −261,619 … 0
  const r = x - k * H_HI - k * H_LO;
  const r2 = r * r;
  const p = 1 + r + r2 * (C2 + r * C3 + r2 * C4);
  return p * POW2_FRACTION[k & (STEPS - 1)] * POW2_NEG[-(k >> 8)];
}

/**
 * A row's max and, into `exps`, exp(x − max) for each logit; returns Σ exp(x − max), NaN when the row holds a NaN
 * or +Inf, or is all −Inf, as the op-by-op log-softmax gives (max = +Inf gives Inf − Inf = NaN; all −Inf gives
 * −Inf − (−Inf) = NaN, as tfjs's Sub does).
 */
function rowExps(logits: Float32Array, offset: number, classes: number, exps: Float64Array): number {
  // Math.max, not a compare and branch (mispredicted on every new maximum: 1.5 µs of a [64, 10] call). A NaN makes
  // the max NaN, so every exp and the sum are NaN too.
  let max = -Infinity;
  for (let k = 0; k < classes; k++) max = Math.max(max, logits[offset + k]);
  rowMax = max;
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += exps[k] = expNonPositive(logits[offset + k] - max);
  return sum;
}
/** The max of the row `rowExps` last saw (a second result without allocating). */
let rowMax = 0;

/** Scratch for one row's exponentials and one row's one-hot targets (grown to the widest row seen). */
let exps = new Float64Array(16);
let hot = new Float64Array(16);
function scratchFor(classes: number): void {
  if (exps.length < classes) {
    exps = new Float64Array(classes);
    hot = new Float64Array(classes);
  }
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
  scratchFor(classes);
  const { values, sparse } = labels;
  let total = 0;
  for (let i = 0; i < batch; i++) {
    const offset = i * classes;
    const sum = rowExps(logits, offset, classes, exps); // sets rowMax
    const shift = rowMax + Math.log(sum);
    // Every class, not only the target's: 0·(−Inf) must give NaN as it does op by op.
    let loss = 0;
    if (sparse) {
      oneHotRow(values[i], classes, hot);
      for (let k = 0; k < classes; k++) loss -= hot[k] * (logits[offset + k] - shift);
    } else for (let k = 0; k < classes; k++) loss -= values[offset + k] * (logits[offset + k] - shift);
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
  scratchFor(classes);
  const { values, sparse } = labels;
  for (let i = 0; i < batch; i++) {
    const offset = i * classes;
    // One exp per logit: e = exp(x − max), softmax = e / Σe (NaN for a row holding a NaN or +Inf, or all −Inf).
    const sum = rowExps(logits, offset, classes, exps);
    const s = reduction === 'none' ? dy[i] : scale;
    const y = sparse ? hot : values;
    const at = sparse ? 0 : offset;
    if (sparse) oneHotRow(values[i], classes, hot);
    let targetSum = 0;
    for (let k = 0; k < classes; k++) targetSum += y[at + k];
    for (let k = 0; k < classes; k++) out[offset + k] = s * ((exps[k] / sum) * targetSum - y[at + k]);
  }
}

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
