// @nutshell/backend-webgpu: WebGPU for Nutshell, in browsers (navigator.gpu) and in Node (Dawn).
import { registerBackend } from '@nutshell/backend';
import { webgpuBackend } from './plugin.js';

// The plugin
export { webgpuBackend, createWebgpuBackend } from './plugin.js';
export type { WebGpuBackendPlugin } from './plugin.js';
export type { WebGpuOptions, DawnBackend } from './options.js';
export type { WebGpuAdapterInfo } from './adapter.js';

// Errors
export { WebGpuDeviceLostError, WebGpuKernelError } from './errors.js';

// Selecting a backend (re-exported from @nutshell/backend, so installing this package is enough to switch)
export { useBackend, backendInfo } from '@nutshell/backend';

registerBackend(webgpuBackend);
