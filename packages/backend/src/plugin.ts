/**
 * What `probe()` found: whether a backend is usable here and, if not, why and how to fix it.
 * @public
 */
export type ProbeResult =
  | {
      readonly usable: true;
      /** A short description of what was found, e.g. the adapter or library version. */
      readonly detail?: string;
      /** Overrides the plugin's priority for `'auto'`, e.g. lower for a software GPU adapter. */
      readonly priority?: number;
    }
  | {
      readonly usable: false;
      /** Why the backend cannot be used here, as a sentence. */
      readonly reason: string;
      /** What the user can do about it, as a sentence. */
      readonly fix: string;
    };

/**
 * What a backend reports about itself once active.
 * @public
 */
export interface BackendInfo {
  /** The plugin's name. */
  readonly name: string;
  /** The device it computes on, in words (e.g. "CPU (JavaScript)", "NVIDIA H100"). */
  readonly device: string;
  /** Bits of float precision it computes with (32, or 16 on some GPUs). */
  readonly floatPrecision: 16 | 32;
  /** Bytes held by tensors on this backend now. */
  readonly bytesInUse: number;
  /** Tensors alive now. */
  readonly numTensors: number;
  /** Anything else the backend wants to say (adapter limits, library versions, ...). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * A backend plugin: a plain object `@nutshell/backend` can register, probe and activate.
 * @public
 */
export interface BackendPlugin {
  /** The name users select it by, e.g. `'wasm'`. */
  readonly name: string;
  /** Higher wins in `'auto'` selection among usable plugins. The built-in CPU backend has 1. */
  readonly priority: number;
  /** The npm package that provides it (used in messages). */
  readonly packageName?: string;
  /**
   * False when reading a tensor is asynchronous and costly here (GPU memory): training loops then read a step
   * behind, and `useBackend` reads such tensors back asynchronously before switching away. Default true.
   */
  readonly readsSynchronously?: boolean;
  /**
   * Called by `useBackend` before another backend becomes current. A backend whose tensors cannot be read
   * synchronously (webgpu) reads them back here, asynchronously, so the engine can move them to the next backend
   * when they are next used there (it moves data with a synchronous read).
   */
  readBackTensors?(): Promise<void>;
  /** Checks, without side effects on the current backend, whether this backend can run here. */
  probe(): Promise<ProbeResult>;
  /**
   * The highest priority `probe()` could report on this machine, found cheaply and without loading anything (for
   * example webgpu on Linux with no GPU device node: at most a software adapter). `'auto'` skips the probe, with
   * this reason, when a usable backend already ranks at or above it. Default: `priority`.
   */
  probeCeiling?(): { readonly priority: number; readonly reason: string };
  /** Registers the tfjs backend and any kernels Nutshell adds, and makes it current. */
  activate(): Promise<void>;
  /** Describes the backend; valid once activated. */
  info(): BackendInfo;
}
