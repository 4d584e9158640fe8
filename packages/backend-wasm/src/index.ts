/**
 * WebAssembly backend for Nutshell: tfjs-backend-wasm plus the training kernels it lacks or gets wrong.
 * @packageDocumentation
 */
// @nutshell/backend-wasm: importing this package registers the 'wasm' backend plugin.

// The plugin
export { wasmBackend, setWasmPaths } from './plugin.js';

// For backends that run on wasm's heap (@nutshell/backend-native): one description of a matmul's geometry
export { describeMatMul } from './kernels/matMulProduct.js';
export type { MatMulProduct } from './kernels/matMulProduct.js';
export { filterGradientOnPatchRows } from './kernels/unitValidConv.js';

// Selecting a backend (re-exported from @nutshell/backend, so installing this package is enough to switch)
export { useBackend, backendInfo } from '@nutshell/backend';
