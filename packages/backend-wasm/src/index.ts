/**
 * WebAssembly backend for Nutshell: tfjs-backend-wasm plus the training kernels it lacks or gets wrong.
 * @packageDocumentation
 */
// @nutshell/backend-wasm: importing this package registers the 'wasm' backend plugin.

// The plugin
export { wasmBackend, setWasmPaths } from './plugin.js';

// Selecting a backend (re-exported from @nutshell/backend, so installing this package is enough to switch)
export { useBackend, backendInfo } from '@nutshell/backend';
