// The backend conformance suite on this machine's WebGPU adapter in Node (Mesa's lavapipe in CI), with
// every op on the GPU. Where no adapter exists the suite is reported skipped with the probe's reason.
import { defineConformanceSuite } from '@nutshell/backend-conformance';
import { createWebgpuBackend } from './index.js';

await defineConformanceSuite(createWebgpuBackend({ cpuForward: false }), { timeoutMs: 400_000 });
