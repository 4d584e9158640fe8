import { BackendUnavailableError, registerBackend, tf } from '@nutshell/backend';
import type { BackendInfo, BackendPlugin, ProbeResult } from '@nutshell/backend';
import { wasmBackend } from '@nutshell/backend-wasm';
import { NATIVE, registerNativeBackend } from './nativeBackend.js';
import { NATIVE_KERNELS, fallbackCounts } from './kernels/index.js';
import {
  ONNXRUNTIME_VERSION,
  loadOnnxRuntime,
  adaptiveThreadsOn,
  poolInUse,
  sessionCount,
  setAdaptiveThreads,
  sessionThreads,
  setSessionThreads,
} from './onnxRuntime.js';
import { probeNative } from './probe.js';
import { chooseThreads, resolveThreads } from './threads.js';
import { NativeConfigError } from './errors.js';

let threadSource = '';
let adaptiveChoice: boolean | undefined;

/**
 * Options of the native backend.
 * @public
 */
export interface NativeOptions {
  /**
   * Threads each native kernel may use (ONNX Runtime's intra-op threads). Default: the environment variable
   * `NUTSHELL_NATIVE_THREADS`, else one per core. `undefined` goes back to that default.
   */
  readonly threads?: number;
  /**
   * Use the extra threads only while a core looks free: the 1-minute load average, less this process's own running
   * threads averaged the same way, stays one and a half cores below the core count (checked at most once a second).
   * Default `false`: every kernel of at least 32 M multiply-adds uses every thread. On the shared 2-core machine the
   * second thread made a LeNet epoch 1.6–2.2× faster at load 5–7.5 (the scheduler shares the cores per thread), so
   * the adaptation is opt-in, for a process that should leave other jobs their share.
   */
  readonly adaptiveThreads?: boolean;
}

/**
 * Configures the native backend; takes effect at once if it is active. Throws `NativeConfigError` for a thread count
 * that is not a whole number from 1 to 1024.
 * @public
 */
export async function configureNative(options: NativeOptions): Promise<void> {
  if (options.adaptiveThreads !== undefined && typeof options.adaptiveThreads !== 'boolean')
    throw new NativeConfigError(
      `native backend: adaptiveThreads must be true or false, got ${JSON.stringify(options.adaptiveThreads)}.`,
    );
  chooseThreads(options.threads);
  adaptiveChoice = options.adaptiveThreads;
  if (tf.getBackend() === NATIVE) await applyThreads();
}

async function applyThreads(): Promise<void> {
  const { threads, source } = await resolveThreads();
  setSessionThreads(threads);
  threadSource = source;
  // Every large kernel uses the pool unless adaptiveThreads asks to yield to other processes (README, Threads).
  setAdaptiveThreads(adaptiveChoice ?? false);
}

/**
 * The native CPU backend for Node: the wasm backend with matmul, fused matmul, conv2d (plain, fused, depthwise) and
 * the convolution gradients run by ONNX Runtime's MLAS kernels (multi-threaded, AVX2/AVX-512/NEON). Every other op
 * is wasm's. Preferred by `'auto'` in Node over 'wasm'; registered on import.
 * @public
 */
export const nativeBackend: BackendPlugin = {
  name: NATIVE,
  // Above wasm (20): several times its matmul speed on the same cores; below a hardware GPU (30).
  priority: 25,
  packageName: '@nutshell/backend-native',
  async probe(): Promise<ProbeResult> {
    // Everything but the heavy kernels runs on wasm: it must be usable too.
    const wasm = await wasmBackend.probe();
    if (!wasm.usable)
      return {
        usable: false,
        reason: `the wasm backend it builds on is unusable: ${wasm.reason}`,
        fix: wasm.fix,
      };
    return probeNative();
  },
  async activate() {
    const probe = await this.probe();
    if (!probe.usable) throw new BackendUnavailableError(NATIVE, probe.reason, probe.fix);
    await loadOnnxRuntime();
    await applyThreads();
    await registerNativeBackend();
    const ok = await tf.setBackend(NATIVE);
    if (!ok)
      throw new BackendUnavailableError(
        NATIVE,
        'tfjs could not initialise the native backend.',
        "Select 'wasm' or 'cpu'.",
      );
  },
  info(): BackendInfo {
    const m = tf.memory();
    const threads = sessionThreads();
    return {
      name: NATIVE,
      device: `CPU (ONNX Runtime ${ONNXRUNTIME_VERSION}, ${threads} thread${threads === 1 ? '' : 's'})`,
      floatPrecision: 32,
      bytesInUse: m.numBytes,
      numTensors: m.numTensors,
      extra: {
        threads,
        threadsFrom: threadSource,
        // Whether large kernels use the extra threads now (false while the load average leaves no core free).
        adaptiveThreads: adaptiveThreadsOn(),
        poolInUse: threads > 1 && poolInUse(),
        nativeKernels: NATIVE_KERNELS.map((k) => k.kernelName),
        fallbacks: fallbackCounts(),
        sessions: sessionCount(),
      },
    };
  },
};

registerBackend(nativeBackend);
