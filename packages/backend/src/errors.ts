/**
 * The base class of every error Nutshell throws on purpose, so callers can tell them from bugs.
 * @public
 */
export class NutshellError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A backend was named but cannot be used here. `reason` says why and `fix` says what to do about it.
 * @public
 */
export class BackendUnavailableError extends NutshellError {
  /** The backend that was asked for. */
  readonly backend: string;
  /** Why it cannot be used here. */
  readonly reason: string;
  /** What the user can do to make it usable. */
  readonly fix: string;
  constructor(backend: string, reason: string, fix: string) {
    super(`Backend '${backend}' is unavailable: ${reason}${fix ? ` Fix: ${fix}` : ''}`);
    this.backend = backend;
    this.reason = reason;
    this.fix = fix;
  }
}

/**
 * A backend name that no registered plugin (and no known plugin package) answers to.
 * @public
 */
export class UnknownBackendError extends NutshellError {
  /** The name that was asked for. */
  readonly backend: string;
  /** The names that are registered now. */
  readonly known: readonly string[];
  constructor(backend: string, known: readonly string[]) {
    super(
      `Unknown backend '${backend}'. Registered backends: ${known.join(', ')}. ` +
        `Plugins register when their package is imported, e.g. import '@nutshell/backend-wasm'.`,
    );
    this.backend = backend;
    this.known = known;
  }
}
