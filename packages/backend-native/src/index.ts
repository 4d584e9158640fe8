/**
 * Native CPU backend for Nutshell in Node: matmul and convolutions (forward and gradients) in ONNX Runtime's
 * multi-threaded SIMD kernels, everything else on the wasm backend.
 * @packageDocumentation
 */
// @nutshell/backend-native: importing this package registers the 'native' backend plugin.

// The plugin
export { nativeBackend, configureNative } from './plugin.js';
export type { NativeOptions } from './plugin.js';
export { NativeConfigError } from './errors.js';

// Selecting a backend (re-exported from @nutshell/backend, so installing this package is enough to switch)
export { useBackend, backendInfo } from '@nutshell/backend';
