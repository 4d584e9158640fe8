// @nutshell/examples: one runnable program per concept (`pnpm example <name>`); the catalog lists them.
export { EXAMPLES } from './catalog.js';
export type { Example } from './catalog.js';
