import { defineConformanceSuite } from '@nutshell/backend-conformance';
import { nativeBackend } from './index.js';

// Every op forward and backward, and the MLP and LeNet training runs, against the CPU backend and float64; skipped
// with the probe's reason where ONNX Runtime cannot load.
await defineConformanceSuite(nativeBackend);
