// Nutshell's own WebGPU kernels, for the gaps of tfjs-backend-webgpu the conformance suite finds.
let registered = false;

/** Registers Nutshell's WebGPU kernels once (after tfjs-backend-webgpu has registered its own). */
export function registerWebGpuKernels(): void {
  if (registered) return;
  registered = true;
}
