// @nutshell/backend-cuda: TensorFlow's native kernels (CUDA through tfjs-node-gpu, or CPU through tfjs-node).

import { registerBackend } from '@nutshell/backend';
import { cudaBackend, tensorflowBackend } from './plugins.js';

registerBackend(cudaBackend);
registerBackend(tensorflowBackend);

// The plugins
export { cudaBackend, tensorflowBackend, createCudaBackend, createTensorflowBackend } from './plugins.js';

// Selecting a backend (re-exported from @nutshell/backend, so installing this package is enough to switch)
export { useBackend, backendInfo } from '@nutshell/backend';

// Diagnostics
export { diagnoseCuda, diagnoseTensorflow } from './diagnose.js';
export type { CudaProbeOptions, Diagnosis, ProbeStep, ProbeCheck } from './diagnose.js';
export type { PeerInstall } from './peerPackage.js';
export type { NvidiaDriver, NvidiaGpu } from './nvidiaDriver.js';
export type { FoundLibrary } from './cudaLibraries.js';
export { CUDA_REQUIREMENTS, compareVersions } from './requirements.js';
