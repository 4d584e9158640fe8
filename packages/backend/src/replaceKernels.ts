// One way for every backend plugin to put its own kernels in place of tfjs's: the conformance suite finds a
// tfjs kernel wrong or missing, and the plugin registers a correct one under the same name.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { tf } from './tfjs.js';

/**
 * A kernel a plugin registers in place of tfjs's (or where tfjs has none).
 * @public
 */
export interface KernelReplacement {
  /** The tfjs kernel name, e.g. `'PadV2'`. */
  readonly kernelName: string;
  /** Why tfjs's kernel is replaced, in words (listed in the plugin's README and in `info()`). */
  readonly why?: string;
  /**
   * Builds the kernel for `backendName`; `previous` is the kernel it replaces (tfjs's), for cases it leaves to
   * tfjs. A config without a `setupFunc` keeps the replaced kernel's (e.g. its cwrap of a C++ function).
   */
  make(previous: KernelFunc | undefined): KernelConfig;
}

const ours = new WeakSet<KernelFunc>();

/**
 * Registers `replacements` on `backendName`, unregistering the kernels they replace (so tfjs prints no
 * duplicate-registration warning). Idempotent: a kernel already replaced by this helper is left alone. Call it
 * after the tfjs backend package has registered its kernels.
 * @public
 */
export function replaceKernels(backendName: string, replacements: readonly KernelReplacement[]): void {
  for (const r of replacements) {
    const existing = tf.getKernel(r.kernelName, backendName);
    if (existing && ours.has(existing.kernelFunc)) continue;
    const made = r.make(existing?.kernelFunc);
    const config: KernelConfig = { ...made, kernelName: r.kernelName, backendName };
    if (existing?.setupFunc && !made.setupFunc) config.setupFunc = existing.setupFunc;
    if (existing) tf.unregisterKernel(r.kernelName, backendName);
    tf.registerKernel(config);
    ours.add(config.kernelFunc);
  }
}

/**
 * Whether the backend (the current one by default) registers every kernel named, e.g. `['FFT', 'IFFT']`.
 * @public
 */
export function hasKernels(kernelNames: readonly string[], backendName: string = tf.getBackend()): boolean {
  return kernelNames.every((k) => tf.getKernel(k, backendName) !== undefined);
}
