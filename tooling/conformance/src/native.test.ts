// The stack's cases on native (ONNX Runtime's kernels where they pay, wasm's for the rest); skipped with the
// probe's reason where ONNX Runtime cannot load.
import { defineConformanceSuite } from '@nutshell/backend-conformance';
import { nativeBackend } from '@nutshell/backend-native';
import { STACK_CASES, STACK_TRAINING } from './cases/index.js';

await defineConformanceSuite(nativeBackend, {
  cases: STACK_CASES,
  trainingCases: STACK_TRAINING,
  builtIn: false,
  title: 'stack conformance: native',
});
