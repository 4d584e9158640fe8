import { NutshellError } from '@nutshell/tensor';

/**
 * The log folder cannot be written: the path (or a folder above it) is a file, or it cannot be created. The
 * message names the path and why.
 * @public
 */
export class LogDirError extends NutshellError {
  /** The log folder that was asked for. */
  readonly logDir: string;
  constructor(logDir: string, why: string) {
    super(`TensorBoard log folder '${logDir}': ${why}.`);
    this.logDir = logDir;
  }
}
