// The gradient of batch normalisation, corrected for calls without `scale` or `offset`.
//
// tfjs-core 4.22 records the FusedBatchNorm kernel on the gradient tape with its inputs map as the op built
// it: `{ x, mean, variance, scale: undefined, offset: undefined }` when scale and offset are omitted. Saving
// `scale` for the backward pass then clones `undefined`, and the tape walks `undefined.id`, so
// `tf.grad(x => tf.batchNorm(x, mean, variance))` throws "Cannot read properties of undefined" on every
// backend. Re-registering the gradient alone cannot help, since the tape fails before the gradient runs.
// So, while a gradient is being recorded, a missing scale becomes ones and a missing offset zeros (exact:
// y·1 + 0 = y), which no backend kernel computes differently; and the gradient below, registered over
// tfjs's, also sums over the broadcast axes of mean/variance/scale/offset of any rank (tfjs's only for rank 1).
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import { unbroadcast } from './unbroadcast.js';

type KernelInputs = NamedTensorMap & { scale?: Tensor; offset?: Tensor };

interface PatchableEngine {
  runKernel(kernelName: string, inputs: NamedTensorMap, attrs?: NamedAttrMap): Tensor | Tensor[];
  isTapeOn(): boolean;
  nutshellBatchNormPatched?: boolean;
}

/**
 * d/d{x, mean, variance, scale, offset} of y = (x − mean) · rsqrt(variance + ε) · scale + offset, where
 * mean, variance, scale and offset broadcast against x.
 */
export const batchNormGradConfig: GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const g = dy as Tensor;
    const [x, mean, variance, scale] = saved;
    const epsilon = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
    const r = tf.rsqrt(tf.add(variance, tf.scalar(epsilon))); // 1/√(v+ε)
    const gScaled = scale == null ? g : tf.mul(g, scale);
    const centered = tf.sub(x, mean);
    return {
      x: () => unbroadcast(tf.mul(gScaled, r), x.shape),
      mean: () => unbroadcast(tf.neg(tf.mul(gScaled, r)), mean.shape),
      variance: () => unbroadcast(tf.mul(tf.mul(gScaled, centered), tf.mul(tf.pow(r, tf.scalar(3)), tf.scalar(-0.5))), mean.shape),
      scale: () => unbroadcast(tf.mul(g, tf.mul(centered, r)), (scale ?? mean).shape),
      offset: () => unbroadcast(g, mean.shape),
    };
  },
};

/**
 * Registers the corrected batch-norm gradient and makes the engine record a missing scale/offset as
 * ones/zeros while a gradient tape is on. Idempotent.
 */
export function registerBatchNormGradient(): void {
  tf.registerGradient(batchNormGradConfig);
  const engine = tf.engine() as unknown as PatchableEngine;
  if (engine.nutshellBatchNormPatched) return;
  const runKernel = engine.runKernel;
  engine.runKernel = function (this: PatchableEngine, kernelName, inputs, attrs) {
    const given = inputs as KernelInputs;
    if (kernelName !== tf.FusedBatchNorm || (given.scale != null && given.offset != null) || !this.isTapeOn()) {
      return runKernel.call(this, kernelName, inputs, attrs);
    }
    const shape = given.mean.shape;
    const fillers: Tensor[] = [];
    const filled: KernelInputs = { ...given };
    if (filled.scale == null) fillers.push((filled.scale = tf.ones(shape)));
    if (filled.offset == null) fillers.push((filled.offset = tf.zeros(shape)));
    try {
      return runKernel.call(this, kernelName, filled, attrs);
    } finally {
      tf.dispose(fillers);
    }
  };
  engine.nutshellBatchNormPatched = true;
}
