import { defineConformanceSuite } from '@nutshell/backend-conformance';
import { wasmBackend } from './index.js';

// Every op forward and backward, and the MLP and LeNet training runs, against the CPU backend and float64.
await defineConformanceSuite(wasmBackend);
