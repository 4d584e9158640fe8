// WebGPU in Node: Dawn from the `webgpu` npm package, on the Dawn backend that works on this machine.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { explainNoAdapter } from '../diagnosis.js';
import type { DawnAttempt } from '../diagnosis.js';
import type { ResolvedWebGpuOptions } from '../options.js';
import type { AcquiredAdapter, GpuRuntime } from '../runtime.js';
import { gpuDeviceNodes } from './deviceNodes.js';
import { dawnMessages, findLibrary, icdOverride, vulkanDrivers } from './facts.js';

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

let dawn: DawnModule | undefined;
let dawnEntry: string | undefined;
// Dawn instances by flag set; kept alive for the life of the process (their adapters and devices need them).
const instances = new Map<string, GPU>();
let installed: GPU | undefined;

async function loadDawn(): Promise<{ ok: true } | { ok: false; reason: string; fix: string }> {
  if (dawn) return { ok: true };
  try {
    dawnEntry = createRequire(import.meta.url).resolve('webgpu');
    dawn = (await import(pathToFileURL(dawnEntry).href)) as DawnModule;
    return { ok: true };
  } catch (e) {
    return {
      ok: false,
      reason: `the 'webgpu' package (Dawn, WebGPU for Node) could not be loaded: ${(e as Error).message}`,
      fix:
        `npm install webgpu@0.6.2 (prebuilt for Linux x64/arm64, macOS and Windows; this is ${process.platform}-` +
        `${process.arch}), or use the 'wasm' or 'cpu' backend.`,
    };
  }
}

function instance(backend: string | undefined): GPU {
  const key = backend ?? 'default';
  let gpu = instances.get(key);
  if (!gpu) {
    gpu = dawn!.create(backend ? [`backend=${backend}`] : []);
    instances.set(key, gpu);
  }
  return gpu;
}

/** The Dawn backends to try, in order: the one the user named, or Vulkan then OpenGL ES on Linux. */
function backendsToTry(options: ResolvedWebGpuOptions): (string | undefined)[] {
  if (options.dawnBackend !== 'auto') return [options.dawnBackend];
  return process.platform === 'linux' ? ['vulkan', 'opengles'] : [undefined];
}

let lastGpu: GPU | undefined;

/** WebGPU in Node through Dawn. */
export const runtime: GpuRuntime = {
  kind: 'node',
  canReadSync: false,
  hardwarePossible() {
    // Dawn reaches Metal, D3D12 and their software fallbacks through no device node: elsewhere only Dawn can tell.
    if (process.platform !== 'linux') return undefined;
    const nodes = gpuDeviceNodes();
    return nodes.length
      ? { possible: true, evidence: `GPU device node${nodes.length > 1 ? 's' : ''} ${nodes.join(', ')}` }
      : {
          possible: false,
          evidence:
            'no GPU device node in /dev (dri/renderD*, dri/card*, nvidia*, dxg, kgsl-3d*, mali*, galcore)',
        };
  },
  loaded: () => dawn !== undefined,
  installGlobals() {
    if (!dawn || !lastGpu) return;
    const g = globalThis as Record<string, unknown>;
    for (const [k, v] of Object.entries(dawn.globals)) if (!(k in g)) g[k] = v;
    if (installed === lastGpu) return;
    if (typeof g.navigator === 'undefined') g.navigator = {};
    Object.defineProperty(g.navigator as object, 'gpu', {
      value: lastGpu,
      configurable: true,
      enumerable: true,
    });
    installed = lastGpu;
  },
  async acquireAdapter(options: ResolvedWebGpuOptions): Promise<AcquiredAdapter> {
    const loaded = await loadDawn();
    if (!loaded.ok) return loaded;
    const notes: string[] = [];
    const failed: (string | undefined)[] = [];
    for (const backend of backendsToTry(options)) {
      const compat = backend === 'opengles';
      // Mesa's EGL needs no display for compute when told so; a user's own EGL_PLATFORM wins.
      if (compat && !process.env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless';
      let adapter: GPUAdapter | null = null;
      try {
        adapter = await instance(backend).requestAdapter({
          powerPreference: options.powerPreference,
          ...(compat ? { featureLevel: 'compatibility' } : {}),
        } as GPURequestAdapterOptions);
      } catch (e) {
        notes.push(`Dawn ${backend ?? 'default'}: requestAdapter failed: ${(e as Error).message}`);
      }
      if (adapter) {
        lastGpu = instance(backend);
        if (failed.length) {
          notes.push(
            `Dawn ${failed.join(', ')} gave no adapter, so the ${backend} backend is used` +
              (compat ? ' (OpenGL ES at the compatibility feature level, slower than Vulkan)' : '') +
              '. Probe with NUTSHELL_WEBGPU_BACKEND=vulkan to see why Vulkan is unusable.',
          );
        }
        return {
          ok: true,
          adapter,
          featureLevel: compat ? 'compatibility' : 'core',
          ...(backend ? { dawnBackend: backend } : {}),
          notes,
        };
      }
      failed.push(backend ?? 'default');
    }
    // No adapter anywhere: find out why, in detail (this path only).
    const attempts: DawnAttempt[] = backendsToTry(options).map((b) =>
      dawnMessages(dawnEntry!, b, b === 'opengles' ? 'compatibility' : undefined),
    );
    const linux = process.platform === 'linux';
    const tried = (b: string) => attempts.some((a) => a.backend === b);
    const explained = explainNoAdapter({
      platform: process.platform,
      attempts,
      ...(linux && tried('vulkan')
        ? {
            vulkanLoader: findLibrary('libvulkan.so.1'),
            vulkanDrivers: vulkanDrivers(),
            icdOverride: icdOverride(),
          }
        : {}),
      ...(linux && tried('opengles') ? { eglLibrary: findLibrary('libEGL.so.1') } : {}),
    });
    return { ok: false, ...explained };
  },
};
