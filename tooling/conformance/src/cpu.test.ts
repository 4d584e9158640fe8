// The stack's cases on the built-in CPU backend: against the float64 references (the CPU backend is also the
// reference the other backends are compared with, so this is where the float64 references check it).
import { cpuBackend } from '@nutshell/backend';
import { defineConformanceSuite } from '@nutshell/backend-conformance';
import { STACK_CASES, STACK_TRAINING } from './cases/index.js';

await defineConformanceSuite(cpuBackend, {
  cases: STACK_CASES,
  trainingCases: STACK_TRAINING,
  builtIn: false,
  title: 'stack conformance: cpu',
});
