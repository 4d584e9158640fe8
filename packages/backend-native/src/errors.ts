import { NutshellError } from '@nutshell/backend';

/**
 * A setting of the native backend (a thread count, from an option or `NUTSHELL_NATIVE_THREADS`) is invalid; the
 * message names the setting, what it got and what it takes.
 * @public
 */
export class NativeConfigError extends NutshellError {}
