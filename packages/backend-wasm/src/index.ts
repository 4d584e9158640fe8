// @nutshell/backend-wasm: importing this package registers the 'wasm' backend plugin.

// The plugin
export { wasmBackend, setWasmPaths } from './plugin.js';
