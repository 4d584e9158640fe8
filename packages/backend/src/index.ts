// @nutshell/backend: the seam between Nutshell and its tensor engine.

export { tf } from './tfjs.js';

// The plugin interface
export type { BackendPlugin, BackendInfo, ProbeResult } from './plugin.js';
export { cpuBackend } from './cpu.js';

// Registry and selection
export {
  registerBackend,
  listBackends,
  getBackendPlugin,
  useBackend,
  currentBackend,
  lastBackendSelection,
  backendInfo,
  ready,
} from './registry.js';
export type { BackendSelection } from './registry.js';

// Errors
export { NutshellError, BackendUnavailableError, UnknownBackendError } from './errors.js';
