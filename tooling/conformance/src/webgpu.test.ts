// The stack's cases on this machine's WebGPU adapter through Dawn in Node (Mesa's lavapipe in CI), with every
// op on the GPU. Without an adapter every case is reported skipped with the probe's reason.
import { defineConformanceSuite } from '@nutshell/backend-conformance';
import { createWebgpuBackend } from '@nutshell/backend-webgpu';
import { STACK_CASES, STACK_TRAINING } from './cases/index.js';

await defineConformanceSuite(createWebgpuBackend({ cpuForward: false }), {
  cases: STACK_CASES,
  trainingCases: STACK_TRAINING,
  builtIn: false,
  title: 'stack conformance: webgpu',
  timeoutMs: 600_000,
});
