// Nutshell's own WebGPU kernels: what the conformance suite finds tfjs-backend-webgpu 4.22 gets wrong.
import { tf } from '@nutshell/backend';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { webgpu_util as WebGpuUtil } from '@tensorflow/tfjs-backend-webgpu';
import { accurateTrigKernels } from './accurateTrig.js';

/** Why each kernel is replaced, by kernel name. */
export const NUTSHELL_WEBGPU_KERNELS: Readonly<Record<string, string>> = {
  Sin: "WGSL's built-in sin may be off by 2^-11 (SwiftShader: 1e-4); Nutshell's is float32-accurate",
  Cos: "WGSL's built-in cos may be off by 2^-11 (SwiftShader: 1e-4); Nutshell's is float32-accurate",
};

const ours = new Set<unknown>();

/**
 * Registers Nutshell's WebGPU kernels, replacing tfjs's (without its duplicate-registration warning).
 * Call after tfjs-backend-webgpu has been imported. Idempotent.
 */
export function registerWebGpuKernels(util: typeof WebGpuUtil): void {
  const configs: KernelConfig[] = accurateTrigKernels(util);
  for (const config of configs) {
    const existing = tf.getKernel(config.kernelName, 'webgpu');
    if (existing && ours.has(existing.kernelFunc)) continue;
    if (existing) tf.unregisterKernel(config.kernelName, 'webgpu');
    tf.registerKernel(config);
    ours.add(config.kernelFunc);
  }
}
