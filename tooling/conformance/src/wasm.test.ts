// The stack's cases on wasm (tfjs-backend-wasm plus Nutshell's kernels).
import { defineConformanceSuite } from '@nutshell/backend-conformance';
import { wasmBackend } from '@nutshell/backend-wasm';
import { STACK_CASES, STACK_TRAINING } from './cases/index.js';

await defineConformanceSuite(wasmBackend, {
  cases: STACK_CASES,
  trainingCases: STACK_TRAINING,
  builtIn: false,
  title: 'stack conformance: wasm',
});
