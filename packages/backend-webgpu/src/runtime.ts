import type { ResolvedWebGpuOptions } from './options.js';

/** A WebGPU adapter found by a runtime, or why none was found and how to fix it. */
export type AcquiredAdapter =
  | {
      readonly ok: true;
      readonly adapter: GPUAdapter;
      readonly featureLevel: 'core' | 'compatibility';
      /** Node: the Dawn backend that gave the adapter. */
      readonly dawnBackend?: string;
      /** What was tried and passed over on the way, as sentences (e.g. why Vulkan was not used). */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly reason: string; readonly fix: string };

/**
 * Where WebGPU comes from: `navigator.gpu` in browsers, Dawn from the `webgpu` package in Node. The package's
 * `#runtime` import picks the module by the `node` export condition, so bundlers never see Dawn.
 */
export interface GpuRuntime {
  /** `'node'` or `'browser'`. */
  readonly kind: 'node' | 'browser';
  /** Whether tfjs can read a WebGPU tensor synchronously here (`dataSync`); false in Node. */
  readonly canReadSync: boolean;
  /** Finds an adapter as the options say. */
  acquireAdapter(options: ResolvedWebGpuOptions): Promise<AcquiredAdapter>;
  /** Makes `navigator.gpu` and the `GPU*` constants global, as tfjs-backend-webgpu expects; no-op in browsers. */
  installGlobals(): void;
  /**
   * Whether a hardware GPU could be reached, found without loading anything (Linux: its device nodes in /dev), with
   * the evidence in words; `undefined` where that cannot be told cheaply (browsers, macOS, Windows).
   */
  hardwarePossible(): { readonly possible: boolean; readonly evidence: string } | undefined;
  /** Whether the WebGPU implementation itself (Dawn in Node) has been loaded into this process. */
  loaded(): boolean;
}
