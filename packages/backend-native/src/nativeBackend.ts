// The tfjs backend 'native': tfjs-backend-wasm's backend instance and kernels (with Nutshell's wasm kernels), with
// the heavy kernels (matmul, convolutions and their gradients) replaced by ONNX Runtime's.
//
// 'native' is registered with the very instance that serves 'wasm', under its own kernel table. tfjs moves a
// tensor's data only when the current backend's storage lacks it, so tensors pass between 'wasm' and 'native' with no
// copy, and tfjs-backend-wasm's kernels (whose setup binds functions of that instance's module) run unchanged. Data
// therefore lives in one place, the wasm heap, where wasm's SIMD kernels do the cheap element-wise work and ONNX
// Runtime reads the operands of the expensive ones in place.
import * as tf from '@tensorflow/tfjs-core';
import { wasmBackend } from '@nutshell/backend-wasm';
import { NATIVE_KERNELS, counted, withFallback } from './kernels/index.js';

/** The tfjs backend name. */
export const NATIVE = 'native';

let registered = false;

/**
 * Registers the 'native' tfjs backend (activating 'wasm' first, whose instance it shares) and its kernels: every
 * 'wasm' kernel, the heavy ones replaced. Idempotent.
 */
export async function registerNativeBackend(): Promise<void> {
  if (registered) return;
  await wasmBackend.activate();
  const instance = tf.findBackend('wasm');
  if (!instance) throw new Error('@nutshell/backend-native: the wasm backend did not initialise.');
  tf.registerBackend(NATIVE, () => instance, 0);
  const replaced = new Map(NATIVE_KERNELS.map((k) => [k.kernelName, k]));
  for (const config of tf.getKernelsForBackend('wasm')) {
    const native = replaced.get(config.kernelName);
    if (!native) {
      tf.registerKernel({ ...config, backendName: NATIVE });
      continue;
    }
    const fallback = counted(config.kernelName, config.kernelFunc);
    const made = native.make(fallback, config.kernelFunc);
    tf.registerKernel({
      ...config,
      ...made,
      backendName: NATIVE,
      kernelFunc: withFallback(made.kernelFunc, fallback),
    });
  }
  registered = true;
}
