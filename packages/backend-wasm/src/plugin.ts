import { BackendUnavailableError, registerBackend, tf } from '@nutshell/backend';
import type { BackendInfo, BackendPlugin, ProbeResult } from '@nutshell/backend';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import { NUTSHELL_WASM_KERNELS, registerWasmKernels } from './kernels/index.js';
import { withoutEmscriptenHandlers } from './processHandlers.js';

// A tiny module using one SIMD instruction (from wasm-feature-detect, as tfjs-backend-wasm uses).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);
const BINARIES = { simd: 'tfjs-backend-wasm-simd.wasm', plain: 'tfjs-backend-wasm.wasm' } as const;

let wasmPathPrefix: string | undefined;

/**
 * Tells the wasm backend where its `.wasm` files are served from (a URL or directory ending in `/`).
 * Needed in browsers when a bundler moves the files; in Node they are found in the installed package.
 * Call before the backend is first activated.
 * @public
 */
export function setWasmPaths(prefix: string): void {
  wasmPathPrefix = prefix;
  tfwasm.setWasmPaths(prefix);
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Where the binary this runtime needs is, and whether it is there. */
async function findBinary(simd: boolean): Promise<{ found: boolean; where: string }> {
  const file = simd ? BINARIES.simd : BINARIES.plain;
  if (isNode()) {
    const nodeModule = 'node:module';
    const nodeFs = 'node:fs';
    const { createRequire } = (await import(/* @vite-ignore */ nodeModule)) as typeof import('node:module');
    const { existsSync } = (await import(/* @vite-ignore */ nodeFs)) as typeof import('node:fs');
    let where: string;
    if (wasmPathPrefix !== undefined) {
      where = `${wasmPathPrefix}${file}`;
    } else {
      let main: string;
      try {
        main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
      } catch {
        return { found: false, where: `${file} (the package @tensorflow/tfjs-backend-wasm could not be resolved)` };
      }
      where = `${main.slice(0, Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\')) + 1)}${file}`;
    }
    if (/^https?:/.test(where)) return { found: true, where };
    return { found: existsSync(where.replace(/^file:\/\//, '')), where };
  }
  if (wasmPathPrefix === undefined || typeof fetch !== 'function') return { found: true, where: `${file} next to the bundled script` };
  const where = `${wasmPathPrefix}${file}`;
  try {
    const res = await fetch(where, { method: 'HEAD' });
    return { found: res.ok, where };
  } catch {
    return { found: false, where };
  }
}

function threadsInUse(): number {
  try {
    return tfwasm.getThreadsCount();
  } catch {
    return 1;
  }
}

/**
 * The WebAssembly backend: tfjs-backend-wasm (XNNPACK, SIMD; multi-threaded in cross-origin-isolated
 * browsers) plus Nutshell's kernels for what it lacks or gets wrong in 4.22: Conv2DBackpropFilter,
 * depthwise backprop (input and filter) and a correct MaxPoolGrad. Registered on import; select it with
 * `useBackend('wasm')`.
 * @public
 */
export const wasmBackend: BackendPlugin = {
  name: 'wasm',
  priority: 20,
  packageName: '@nutshell/backend-wasm',
  async probe(): Promise<ProbeResult> {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') {
      return {
        usable: false,
        reason: 'this JavaScript runtime has no WebAssembly.',
        fix: "Run on Node 20+ or a current browser, or select the 'cpu' backend.",
      };
    }
    const simd = simdSupported();
    const binary = await findBinary(simd);
    if (!binary.found) {
      return {
        usable: false,
        reason: `the WebAssembly binary was not found at ${binary.where}.`,
        fix:
          'Reinstall @tensorflow/tfjs-backend-wasm@4.22.0, or serve its dist/*.wasm files and call ' +
          "setWasmPaths('<url or directory>/') from @nutshell/backend-wasm before useBackend('wasm').",
      };
    }
    return simd
      ? { usable: true, detail: `WebAssembly with SIMD (${binary.where})` }
      : { usable: true, detail: 'WebAssembly without SIMD (several times slower; update the runtime for SIMD)', priority: 5 };
  },
  async activate() {
    registerWasmKernels();
    let ok = false;
    let why = '';
    try {
      ok = await withoutEmscriptenHandlers(() => tf.setBackend('wasm'));
    } catch (e) {
      why = ` ${(e as Error).message}`;
    }
    if (!ok) {
      throw new BackendUnavailableError(
        'wasm',
        `tfjs-backend-wasm failed to initialise.${why}`,
        "Check that its .wasm files are served (setWasmPaths from @nutshell/backend-wasm), or select 'cpu'.",
      );
    }
  },
  info(): BackendInfo {
    const m = tf.memory();
    const threads = threadsInUse();
    const simd = simdSupported();
    return {
      name: 'wasm',
      device: `CPU (WebAssembly, ${simd ? 'SIMD' : 'no SIMD'}, ${threads > 1 ? `${threads} threads` : 'single-threaded'})`,
      floatPrecision: 32,
      bytesInUse: m.numBytes,
      numTensors: m.numTensors,
      extra: {
        simd,
        threads,
        threadsNote: isNode()
          ? 'tfjs-backend-wasm 4.22 runs single-threaded in Node (tensorflow/tfjs#3830).'
          : 'Threads need a cross-origin-isolated page (COOP/COEP headers) with SharedArrayBuffer.',
        nutshellKernels: NUTSHELL_WASM_KERNELS.map((k) => k.kernelName),
        tfjsBackendWasm: tfwasm.version_wasm,
      },
    };
  },
};

registerWasmKernels();
registerBackend(wasmBackend);
