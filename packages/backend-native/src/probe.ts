// Whether the native backend can run here: Node, a platform onnxruntime-node ships a library for, and a library that
// loads and multiplies two small matrices correctly. Each failure is a reason and a fix, never a crash.
import type { ProbeResult } from '@nutshell/backend';
import { ONNXRUNTIME_VERSION, loadOnnxRuntime } from './onnxRuntime.js';
import { graphModel } from './onnxModel.js';

/** The platforms onnxruntime-node 1.30.0 ships a CPU library for (bin/napi-v6/<platform>/<arch>). */
export const SHIPPED_PLATFORMS: readonly string[] = [
  'linux/x64',
  'linux/arm64',
  'darwin/x64',
  'darwin/arm64',
  'win32/x64',
  'win32/arm64',
];

const FIX_INSTALL = `Install it with \`ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@${ONNXRUNTIME_VERSION}\` (the CPU library is inside the package; the variable skips its optional CUDA download), or select 'wasm'.`;

/** What `probe()` reports; `load` is the loader (replaced in tests to simulate a broken install). */
export async function probeNative(load: typeof loadOnnxRuntime = loadOnnxRuntime): Promise<ProbeResult> {
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') {
    return {
      usable: false,
      reason: 'the native backend runs in Node only.',
      fix: "In browsers select 'wasm' or 'webgpu'.",
    };
  }
  const platform = `${process.platform}/${process.arch}`;
  if (!SHIPPED_PLATFORMS.includes(platform)) {
    return {
      usable: false,
      reason: `onnxruntime-node ${ONNXRUNTIME_VERSION} ships no CPU library for ${platform}.`,
      fix: "Select 'wasm' (it runs everywhere Node does).",
    };
  }
  let runtime: Awaited<ReturnType<typeof loadOnnxRuntime>>;
  try {
    runtime = await load();
  } catch (e) {
    const message = (e as Error).message.split('\n')[0];
    const missing = /Cannot find (module|package)/.test(message);
    return {
      usable: false,
      reason: missing
        ? `its native library, onnxruntime-node, is not installed (${message}).`
        : `onnxruntime-node's native library failed to load: ${message}`,
      fix: FIX_INSTALL,
    };
  }
  if (runtime.version !== ONNXRUNTIME_VERSION) {
    return {
      usable: false,
      reason: `onnxruntime-node ${runtime.version} is installed; this package is built and tested against ${ONNXRUNTIME_VERSION}.`,
      fix: FIX_INSTALL,
    };
  }
  try {
    // [[1, 2]] · [[3], [4]] = [[11]]: the library loads, builds a session and computes.
    const session = new runtime.binding.InferenceSession();
    const model = graphModel({
      nodes: [{ opType: 'MatMul', inputs: ['x0', 'x1'], outputs: ['y'] }],
      inputRanks: [2, 2],
      outputRank: 2,
    });
    session.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, {
      intraOpNumThreads: 1,
    });
    const y = session.run(
      {
        x0: new runtime.Tensor('float32', Float32Array.from([1, 2]), [1, 2]),
        x1: new runtime.Tensor('float32', Float32Array.from([3, 4]), [2, 1]),
      },
      { y: null },
      {},
    ).y;
    session.dispose();
    if (y.data[0] !== 11) throw new Error(`a 1×2 · 2×1 product gave ${y.data[0]}, not 11`);
  } catch (e) {
    return {
      usable: false,
      reason: `onnxruntime-node loaded but could not compute: ${(e as Error).message}`,
      fix: FIX_INSTALL,
    };
  }
  return { usable: true, detail: `ONNX Runtime ${runtime.version} (MLAS) from ${runtime.libraryDir}` };
}
