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
 * A backend name that no registered plugin (and no installed plugin package) answers to. The message lists every
 * name that can be loaded here and, when the name came from `NUTSHELL_BACKEND`, says so.
 * @public
 */
export class UnknownBackendError extends NutshellError {
  /** The name that was asked for. */
  readonly backend: string;
  /** The names `useBackend` accepts here: `'auto'`, registered plugins, and those installed packages declare. */
  readonly known: readonly string[];
  /** True when the name came from the `NUTSHELL_BACKEND` environment variable. */
  readonly fromEnv: boolean;
  constructor(backend: string, known: readonly string[], fromEnv = false) {
    super(
      `Unknown backend '${backend}'${fromEnv ? ' (from the NUTSHELL_BACKEND environment variable)' : ''}. ` +
        `Backends that can be loaded here: ${known.join(', ')}. ` +
        (fromEnv ? `Set NUTSHELL_BACKEND to one of them, or unset it to let 'auto' choose. ` : '') +
        `Others come as plugin packages: npm install @nutshell/backend-<name> (wasm, webgpu, cuda, native).`,
    );
    this.backend = backend;
    this.known = known;
    this.fromEnv = fromEnv;
  }
}

/**
 * An op was asked to read or write outside a tensor: a gather or scatter index out of range, a slice past the end.
 * tfjs 4.22's wasm and WebGPU kernels returned zeros or whatever lay in memory there; every backend now refuses.
 * The message names the op, the offending value and the valid range.
 * @public
 */
export class IndexRangeError extends NutshellError {
  /** The op (tfjs kernel name) that refused, e.g. `'GatherNd'`. */
  readonly op: string;
  constructor(op: string, detail: string) {
    super(`${op}: ${detail}`);
    this.op = op;
  }
}

/**
 * An op was given an argument it cannot take: an axis outside the tensor's rank, a permutation that repeats an axis,
 * a pooling stride of 0. tfjs 4.22 answered some of these with values (an axis out of range summed along another
 * axis; a repeated permutation gave a different wrong answer on each backend). The message names the op and the rule.
 * @public
 */
export class ArgumentError extends NutshellError {
  /** The op (tfjs kernel name) that refused, e.g. `'Transpose'`. */
  readonly op: string;
  constructor(op: string, detail: string) {
    super(`${op}: ${detail}`);
    this.op = op;
  }
}
