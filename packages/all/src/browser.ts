// @nutshell/all for bundlers and browsers: every package except the backend plugins, whose import registers them
// and pulls their engines into the bundle. Import a plugin where you want it: `import '@nutshell/all/backend-webgpu'`.
export * from './packages.js';
