// The shared conformance suite on both plugins. Where the backend cannot run (no tfjs-node-gpu, no CUDA 11.2, no
// NVIDIA GPU: every machine this project's CI has), each check is reported skipped with the probe's reason.
import { defineConformanceSuite } from '@nutshell/backend-conformance';
import { cudaBackend, tensorflowBackend } from './index.js';

await defineConformanceSuite(cudaBackend);
await defineConformanceSuite(tensorflowBackend);
