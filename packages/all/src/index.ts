// @nutshell/all: every Nutshell package from one import (Node; bundlers get ./browser.ts, without the plugins).

// The packages
export * from './packages.js';

// The backend plugins: importing them registers 'wasm', 'webgpu', 'cuda' and 'tensorflow'.
export * from '@nutshell/backend-wasm';
export * from '@nutshell/backend-webgpu';
export * from '@nutshell/backend-cuda';

// Node only (writes files with node:fs), so not in the browser entry: TensorBoard event files.
export * from '@nutshell/tensorboard';
