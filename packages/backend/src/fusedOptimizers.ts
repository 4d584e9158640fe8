// Fused optimizer updates: one kernel per weight and step instead of the dozen element-wise kernels an update
// rule written with tensor ops dispatches (Adam: 13). On the CPU-side backends a step's time is mostly dispatch,
// not arithmetic, so this is where a training step's framework cost goes down. The kernels are registered per
// backend (cpu here, wasm and native by @nutshell/backend-wasm); where a backend has none (WebGPU, CUDA) the
// optimizer runs its tensor ops as before.
//
// Every intermediate is rounded to float32 exactly where the op-by-op rule rounds it (each op's result is a
// float32 tensor): binary64 arithmetic rounded to binary32 gives the correctly rounded binary32 result for
// +, −, ×, ÷ and √, so the fused update equals the unfused one bit for bit on every IEEE backend.
import type {
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorMap,
  Tensor,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from './tfjs.js';
import { replaceKernels } from './replaceKernels.js';

/** Kernel name of the fused Adam/AdamW update: inputs `{ w, g, m, v }`, outputs `[w′, m′, v′]`. @public */
export const ADAM_UPDATE = 'NutshellAdamUpdate';
/** Kernel name of the fused SGD update: inputs `{ w, g }` (plus `velocity` with momentum), outputs `[w′]` or `[w′, velocity′]`. @public */
export const SGD_UPDATE = 'NutshellSgdUpdate';

/**
 * One Adam step's numbers: m′ = β₁m + (1 − β₁)g, v′ = β₂v + (1 − β₂)g², w′ = w − stepSize·m′ / (√v′·invRootCorrection + ε)
 * − decay·w, with stepSize = lr/(1 − β₁ᵗ), invRootCorrection = 1/√(1 − β₂ᵗ) and decay = lr·λ (AdamW; 0 for Adam).
 * @public
 */
export interface AdamUpdateAttrs {
  /** β₁. */
  readonly beta1: number;
  /** β₂. */
  readonly beta2: number;
  /** ε. */
  readonly epsilon: number;
  /** lr/(1 − β₁ᵗ). */
  readonly stepSize: number;
  /** 1/√(1 − β₂ᵗ). */
  readonly invRootCorrection: number;
  /** lr·λ, AdamW's decoupled decay; 0 for none. */
  readonly decay: number;
}

/** One SGD step: velocity′ = μ·velocity + g; w′ = w − lr·(Nesterov ? g + μ·velocity′ : velocity′) (w − lr·g when μ = 0). @public */
export interface SgdUpdateAttrs {
  /** Learning rate. */
  readonly learningRate: number;
  /** μ; 0 for plain SGD (no velocity input). */
  readonly momentum: number;
  /** Nesterov's form (needs a momentum above 0). */
  readonly nesterov: boolean;
}

const f = Math.fround;

/**
 * Adam's update on arrays, writing `outW`, `outM`, `outV` (which may not alias the inputs). Each value is rounded
 * as the op-by-op rule rounds it: mul(m, β₁) + mul(g, 1 − β₁), … (see the file comment).
 * @public
 */
export function adamUpdateValues(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  outW: Float32Array,
  outM: Float32Array,
  outV: Float32Array,
  a: AdamUpdateAttrs,
): void {
  // The constants as the float32 scalar tensors of the unfused rule hold them.
  const b1 = f(a.beta1);
  const c1 = f(1 - a.beta1);
  const b2 = f(a.beta2);
  const c2 = f(1 - a.beta2);
  const eps = f(a.epsilon);
  const step = f(a.stepSize);
  const irc = f(a.invRootCorrection);
  const decay = f(a.decay);
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const m1 = f(f(m[i] * b1) + f(gi * c1));
    const v1 = f(f(v[i] * b2) + f(f(gi * gi) * c2));
    const denom = f(f(f(Math.sqrt(v1)) * irc) + eps);
    const wi = w[i];
    const updated = f(wi - f(f(m1 / denom) * step));
    outM[i] = m1;
    outV[i] = v1;
    outW[i] = decay === 0 ? updated : updated - f(wi * decay);
  }
}

/**
 * SGD's update on arrays, writing `outW` (and `outVelocity` with momentum); rounded as the op-by-op rule.
 * @public
 */
export function sgdUpdateValues(
  w: Float32Array,
  g: Float32Array,
  velocity: Float32Array | undefined,
  outW: Float32Array,
  outVelocity: Float32Array | undefined,
  a: SgdUpdateAttrs,
): void {
  const lr = f(a.learningRate);
  const mu = f(a.momentum);
  const n = w.length;
  if (!velocity || !outVelocity) {
    for (let i = 0; i < n; i++) outW[i] = w[i] - f(g[i] * lr);
    return;
  }
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const vel = f(f(velocity[i] * mu) + gi);
    outVelocity[i] = vel;
    const stepValue = a.nesterov ? f(gi + f(vel * mu)) : vel;
    outW[i] = w[i] - f(stepValue * lr);
  }
}

/**
 * Runs a fused optimizer kernel on the current backend; `undefined` when the backend has none (the caller then
 * runs its tensor ops), or when an input is not float32. The caller owns the outputs.
 * @public
 */
export function runFusedUpdate(
  kernelName: string,
  inputs: NamedTensorMap,
  attrs: NamedAttrMap,
): Tensor[] | undefined {
  if (!tf.getKernel(kernelName, tf.getBackend())) return undefined;
  for (const t of Object.values(inputs)) if (t.dtype !== 'float32') return undefined;
  return tf.engine().runKernel(kernelName, inputs, attrs) as Tensor[];
}

/** A float32 tensor's values on the CPU backend (no copy). */
const cpuValues = (backend: MathBackendCPU, t: TensorInfo): Float32Array =>
  backend.data.get(t.dataId).values as Float32Array;

const cpuAdamUpdate: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as MathBackendCPU;
  const { w, g, m, v } = inputs as Record<'w' | 'g' | 'm' | 'v', TensorInfo>;
  const n = tf.util.sizeFromShape(w.shape);
  const out = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const val = (t: TensorInfo) => cpuValues(backend, t);
  adamUpdateValues(
    val(w),
    val(g),
    val(m),
    val(v),
    out[0],
    out[1],
    out[2],
    attrs as unknown as AdamUpdateAttrs,
  );
  return out.map((values) => backend.makeTensorInfo(w.shape, 'float32', values));
};

const cpuSgdUpdate: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as MathBackendCPU;
  const { w, g, velocity } = inputs as Record<'w' | 'g', TensorInfo> & { velocity?: TensorInfo };
  const n = tf.util.sizeFromShape(w.shape);
  const outW = new Float32Array(n);
  const outV = velocity ? new Float32Array(n) : undefined;
  const val = (t: TensorInfo) => cpuValues(backend, t);
  sgdUpdateValues(
    val(w),
    val(g),
    velocity ? val(velocity) : undefined,
    outW,
    outV,
    attrs as unknown as SgdUpdateAttrs,
  );
  return [outW, ...(outV ? [outV] : [])].map((values) => backend.makeTensorInfo(w.shape, 'float32', values));
};

const cpuConfigs: Record<string, KernelConfig> = {
  [ADAM_UPDATE]: { kernelName: ADAM_UPDATE, backendName: 'cpu', kernelFunc: cpuAdamUpdate },
  [SGD_UPDATE]: { kernelName: SGD_UPDATE, backendName: 'cpu', kernelFunc: cpuSgdUpdate },
};

/** Registers the fused optimizer kernels for 'cpu'. Idempotent. */
export function registerCpuOptimizerKernels(): void {
  replaceKernels(
    'cpu',
    Object.keys(cpuConfigs).map((kernelName) => ({ kernelName, make: () => cpuConfigs[kernelName] })),
  );
}
