// Nutshell's own WebGPU kernels: what the conformance suite finds tfjs-backend-webgpu 4.22 gets wrong.
import { guardKernels, replaceKernels } from '@nutshell/backend';
import type { KernelReplacement } from '@nutshell/backend';
import type { webgpu_util as WebGpuUtil } from '@tensorflow/tfjs-backend-webgpu';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { accurateTrigKernels } from './accurateTrig.js';
import { complexParts } from './complexParts.js';
import { emptyMatMul } from './emptyMatMul.js';
import { highRankMirrorPad, highRankPad } from './highRankPad.js';
import { highRankReverse } from './highRankReverse.js';
import { highRankStridedSlice } from './highRankStridedSlice.js';

/** Why each kernel is replaced, by kernel name. */
export const NUTSHELL_WEBGPU_KERNELS: Readonly<Record<string, string>> = {
  Sin: "WGSL's built-in sin may be off by 2^-11 (SwiftShader: 1e-4); Nutshell's is float32-accurate",
  Cos: "WGSL's built-in cos may be off by 2^-11 (SwiftShader: 1e-4); Nutshell's is float32-accurate",
  PadV2: highRankPad.why!,
  MirrorPad: highRankMirrorPad.why!,
  StridedSlice: highRankStridedSlice.why!,
  Reverse: highRankReverse.why!,
  BatchMatMul: emptyMatMul.why!,
  Real: complexParts[0].why!,
  Imag: complexParts[1].why!,
};

/**
 * Registers Nutshell's WebGPU kernels, replacing tfjs's (without its duplicate-registration warning).
 * Call after tfjs-backend-webgpu has been imported. Idempotent.
 */
export function registerWebGpuKernels(util: typeof WebGpuUtil): void {
  const trig: KernelReplacement[] = accurateTrigKernels(util).map((config) => ({
    kernelName: config.kernelName,
    make: () => config,
  }));
  replaceKernels('webgpu', [
    ...trig,
    highRankPad,
    highRankMirrorPad,
    highRankStridedSlice,
    highRankReverse,
    ...complexParts,
    emptyMatMul,
  ]);
  // tfjs's WebGPU gathers and scatter return zeros for an index out of range; indices still on the host are checked.
  guardKernels('webgpu', hostResidentValues);
}

/** An input's values while it is still on the host (tfjs uploads a tensor made from values on first use). */
function hostResidentValues(t: TensorInfo, backend: unknown): ArrayLike<number> | undefined {
  const data = (
    backend as { tensorMap: { get(id: object): { values?: ArrayLike<number> | null } | undefined } }
  ).tensorMap.get(t.dataId);
  return data?.values ?? undefined;
}
