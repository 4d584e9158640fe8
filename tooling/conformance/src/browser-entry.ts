// The page the browser test loads: the stack's cases and the webgpu plugin, bundled for the browser.
import { runConformance } from '@nutshell/backend-conformance';
import type { ConformanceReport, DigitsData } from '@nutshell/backend-conformance';
import { createWebgpuBackend } from '@nutshell/backend-webgpu';
import { STACK_CASES, STACK_TRAINING } from './cases/index.js';

const w = globalThis as unknown as {
  __stack?: (digits: { x: number[]; y: number[]; n: number }) => Promise<ConformanceReport>;
  __ready?: boolean;
};
// Every op on the GPU (no CPU forwarding of small ops), so the cases check WebGPU kernels.
w.__stack = (digits) => {
  const data: DigitsData = { x: Float32Array.from(digits.x), y: Int32Array.from(digits.y), n: digits.n };
  return runConformance(createWebgpuBackend({ cpuForward: false }), {
    cases: STACK_CASES,
    trainingCases: STACK_TRAINING,
    builtIn: false,
    digits: data,
  });
};
w.__ready = true;
