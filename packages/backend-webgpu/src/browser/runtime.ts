import type { ResolvedWebGpuOptions } from '../options.js';
import type { AcquiredAdapter, GpuRuntime } from '../runtime.js';

/** WebGPU in a browser (or a worker): `navigator.gpu`. */
export const runtime: GpuRuntime = {
  kind: 'browser',
  canReadSync: true,
  installGlobals() {},
  // navigator.gpu costs nothing to ask, and a browser gives no other hint of its GPU.
  hardwarePossible: () => undefined,
  loaded: () => true,
  async acquireAdapter(options: ResolvedWebGpuOptions): Promise<AcquiredAdapter> {
    const nav = typeof navigator !== 'undefined' ? navigator : undefined;
    if (!nav?.gpu) {
      const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext;
      if (secure === false) {
        return {
          ok: false,
          reason:
            'this page is not a secure context, and browsers expose WebGPU (navigator.gpu) only to secure pages.',
          fix: 'Serve the page over https://, or from http://localhost or http://127.0.0.1 while developing.',
        };
      }
      return {
        ok: false,
        reason: 'this browser has no WebGPU (navigator.gpu is undefined).',
        fix:
          'Use a browser with WebGPU (Chrome or Edge 113+, Safari 26+, Firefox 141+ on Windows), or enable it ' +
          "(Chromium on Linux: start it with --enable-unsafe-webgpu); otherwise use the 'wasm' backend.",
      };
    }
    let adapter: GPUAdapter | null;
    try {
      adapter = await nav.gpu.requestAdapter({ powerPreference: options.powerPreference });
    } catch (e) {
      return {
        ok: false,
        reason: `navigator.gpu.requestAdapter() failed: ${(e as Error).message}`,
        fix: "Check chrome://gpu (or your browser's GPU page) for why WebGPU is disabled; otherwise use 'wasm'.",
      };
    }
    if (!adapter) {
      return {
        ok: false,
        reason:
          'this browser has WebGPU but gave no adapter: the GPU or its driver is blocklisted, or WebGPU is disabled.',
        fix:
          "See chrome://gpu (or your browser's GPU page) for why; Chromium on Linux needs --enable-unsafe-webgpu " +
          "(headless too), and a working Vulkan driver or SwiftShader. Otherwise use the 'wasm' backend.",
      };
    }
    const notes =
      options.dawnBackendSource === 'option' && options.dawnBackend !== 'auto'
        ? [`dawnBackend '${options.dawnBackend}' is ignored in a browser: the browser picks its own GPU API.`]
        : [];
    return { ok: true, adapter, featureLevel: 'core', notes };
  },
};
