import { NutshellError } from '@nutshell/backend';

/**
 * A file or folder could not be read or written: missing, a directory where a file was expected (or the
 * reverse), a parent that is a file, no permission. The message names the op, the path and what was expected;
 * `code` is the system's code (`ENOENT`, `EISDIR`, ...). The CLI reports it in one line with exit code 2.
 * @public
 */
export class FileError extends NutshellError {
  /** The path at fault. */
  readonly path: string;
  /** The system error code, e.g. `ENOENT`, when there was one. */
  readonly code: string | undefined;
  constructor(op: string, path: string, problem: string, code?: string) {
    super(`${op}: ${path} ${problem}.`);
    this.path = path;
    this.code = code;
  }
}

const PROBLEMS: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a directory',
  ENOTDIR: 'is not a directory, or one of its parents is a file',
  EEXIST: 'already exists (as a file)',
  EACCES: 'cannot be accessed (permission denied)',
  EPERM: 'cannot be accessed (operation not permitted)',
  ENOSPC: 'cannot be written: the disk is full',
  EROFS: 'cannot be written: read-only file system',
};

/**
 * Turns a Node file-system error into a `FileError` naming `op`, `path` and `expected` (what the op needed
 * there, e.g. "a model folder with model.json"); any other error is returned unchanged. @public
 */
export function asFileError(op: string, path: string, expected: string, e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(code in PROBLEMS)) return e;
  return new FileError(op, path, `${PROBLEMS[code]}; expected ${expected}`, code);
}
