// The wasm backend plugin; importing this module registers it.
export * from '@nutshell/backend-wasm';
