/// <reference types="@webgpu/types" preserve="true" />
import { BackendUnavailableError, NutshellError, tf } from '@nutshell/backend';
import type { BackendInfo, BackendPlugin, ProbeResult } from '@nutshell/backend';
import { runtime } from '#runtime';
import { adapterSummary, describeAdapter } from './adapter.js';
import type { WebGpuAdapterInfo } from './adapter.js';
import { guardedBackendClass } from './backend.js';
import { DeviceGuard } from './errors.js';
import { registerWebGpuKernels } from './kernels/index.js';
import { HARDWARE_PRIORITY, SOFTWARE_PRIORITY, resolveOptions } from './options.js';
import type { ResolvedWebGpuOptions, WebGpuOptions } from './options.js';
import type { AcquiredAdapter } from './runtime.js';

/**
 * The WebGPU backend plugin, with what it found out about its adapter and device.
 * @public
 */
export interface WebGpuBackendPlugin extends BackendPlugin {
  /** The options it was created with (defaults and environment variables are applied at probe time). */
  readonly options: Readonly<WebGpuOptions>;
  /** The adapter the last successful probe or activation found, or `undefined`. */
  adapterInfo(): WebGpuAdapterInfo | undefined;
  /** The GPUDevice tensors live on once activated (for interop, or `destroy()` in tests), or `undefined`. */
  device(): GPUDevice | undefined;
  /**
   * The highest priority `probe()` could report on this machine, found without loading Dawn, and why; `'auto'`
   * does not probe the plugin when a usable backend ranks at or above it. On Linux without a GPU device node in
   * /dev the only adapters are software ones, so this is the software priority (0.5 by default, below cpu and
   * wasm); elsewhere, and wherever a device node exists, it is the hardware priority (30).
   */
  probeCeiling(): { readonly priority: number; readonly reason: string };
}

interface Active {
  readonly device: GPUDevice;
  readonly guard: DeviceGuard;
  readonly backend: object;
  readonly info: WebGpuAdapterInfo;
  readonly notes: readonly string[];
  readonly options: ResolvedWebGpuOptions;
}

/**
 * Makes a WebGPU backend plugin. Browsers use `navigator.gpu`; Node uses Dawn from the `webgpu` package and
 * picks a Dawn backend that works (Vulkan, then OpenGL ES), unless `dawnBackend` or `NUTSHELL_WEBGPU_BACKEND`
 * names one. Use it with `useBackend(createWebgpuBackend({ cpuForward: false }))`; the package's default
 * instance is {@link webgpuBackend}. Activating a plugin creates a new device and a new tfjs `'webgpu'`
 * backend, which disposes tensors left on the previous one.
 * @public
 */
export function createWebgpuBackend(options: WebGpuOptions = {}): WebGpuBackendPlugin {
  resolveOptions(options, false); // bad option values fail here, at creation; bad environment values at probe
  let pending: { key: string; acquired: Promise<AcquiredAdapter> } | undefined;
  let lastAdapter: WebGpuAdapterInfo | undefined;
  let active: Active | undefined;

  function acquire(opts: ResolvedWebGpuOptions): Promise<AcquiredAdapter> {
    const key = JSON.stringify(opts);
    if (!pending || pending.key !== key) pending = { key, acquired: runtime.acquireAdapter(opts) };
    return pending.acquired;
  }

  function resolved():
    { ok: true; opts: ResolvedWebGpuOptions } | { ok: false; reason: string; fix: string } {
    try {
      return { ok: true, opts: resolveOptions(options) };
    } catch (e) {
      return {
        ok: false,
        reason: (e as Error).message,
        fix: 'Set NUTSHELL_WEBGPU_BACKEND to vulkan or opengles (or unset it) and NUTSHELL_WEBGPU_CPU_FORWARD to true or false.',
      };
    }
  }

  function healthy(): boolean {
    return !!active && !active.guard.lost && tf.engine().registry['webgpu'] === active.backend;
  }

  const plugin: WebGpuBackendPlugin = {
    name: 'webgpu',
    priority: HARDWARE_PRIORITY,
    packageName: '@nutshell/backend-webgpu',
    readsSynchronously: false,
    options: Object.freeze({ ...options }),

    async probe(): Promise<ProbeResult> {
      const r = resolved();
      if (!r.ok) return { usable: false, reason: r.reason, fix: r.fix };
      if (healthy() && JSON.stringify(active!.options) === JSON.stringify(r.opts))
        return describeUsable(active!.info, active!.notes, r.opts);
      const acquired = await acquire(r.opts);
      if (!acquired.ok) return { usable: false, reason: acquired.reason, fix: acquired.fix };
      lastAdapter = describeAdapter(acquired.adapter, acquired.featureLevel, acquired.dawnBackend);
      return describeUsable(lastAdapter, acquired.notes, r.opts);
    },

    async activate(): Promise<void> {
      const r = resolved();
      if (!r.ok) throw new BackendUnavailableError('webgpu', r.reason, r.fix);
      const opts = r.opts;
      if (healthy() && JSON.stringify(active!.options) === JSON.stringify(opts)) {
        tf.env().set('WEBGPU_CPU_FORWARD', opts.cpuForward);
        if (!(await tf.setBackend('webgpu')))
          throw new NutshellError('webgpu: tf.setBackend("webgpu") failed.');
        return;
      }
      const acquired = await acquire(opts);
      pending = undefined; // an adapter gives one device: the next activation asks for a fresh adapter
      if (!acquired.ok) throw new BackendUnavailableError('webgpu', acquired.reason, acquired.fix);
      const info = describeAdapter(acquired.adapter, acquired.featureLevel, acquired.dawnBackend);
      lastAdapter = info;

      runtime.installGlobals();
      // tfjs-backend-webgpu registers its backend only if navigator.gpu exists when it loads: import it now.
      const wg = await import('@tensorflow/tfjs-backend-webgpu');
      const device = await requestDevice(acquired.adapter);
      const guard = new DeviceGuard(device);
      const Guarded = guardedBackendClass(wg.WebGPUBackend);
      const adapterInfo = (acquired.adapter as { info?: GPUAdapterInfo }).info;
      const backend = new Guarded(device, adapterInfo, guard, runtime.canReadSync);

      // Replace tfjs's own registration (or an earlier device's) with this device's backend.
      if (tf.engine().registryFactory['webgpu']) tf.removeBackend('webgpu');
      tf.registerBackend('webgpu', () => backend, HARDWARE_PRIORITY);
      registerWebGpuKernels(wg.webgpu_util);
      tf.env().set('WEBGPU_CPU_FORWARD', opts.cpuForward);
      if (!(await tf.setBackend('webgpu'))) {
        device.destroy();
        throw new BackendUnavailableError(
          'webgpu',
          `tfjs could not initialise its WebGPU backend on ${adapterSummary(info)}.`,
          "Run with the 'wasm' or 'cpu' backend, and report the adapter in an issue.",
        );
      }
      active = { device, guard, backend, info, notes: acquired.notes, options: opts };
    },

    info(): BackendInfo {
      const m = tf.memory() as ReturnType<typeof tf.memory> & { numBytesInGPU?: number };
      const adapter = active?.info ?? lastAdapter;
      return {
        name: 'webgpu',
        device: adapter ? adapterSummary(adapter) : 'WebGPU (not activated)',
        floatPrecision: 32,
        bytesInUse: m.numBytes,
        numTensors: m.numTensors,
        extra: {
          runtime:
            runtime.kind === 'node' ? 'Node (Dawn from the webgpu package)' : 'browser (navigator.gpu)',
          adapter,
          cpuForward: active?.options.cpuForward,
          deviceLost: active?.guard.lost,
          bytesInGPU: m.numBytesInGPU,
          notes: active?.notes ?? [],
        },
      };
    },

    async readBackTensors(): Promise<void> {
      if (!healthy()) return; // a lost device's tensors are gone; reading them would only throw
      await (active!.backend as { readBackAll(): Promise<void> }).readBackAll();
    },

    adapterInfo: () => active?.info ?? lastAdapter,
    device: () => active?.device,

    probeCeiling() {
      const r = resolved();
      const software = r.ok ? r.opts.softwarePriority : SOFTWARE_PRIORITY;
      const top = Math.max(HARDWARE_PRIORITY, software);
      const gpu = runtime.hardwarePossible();
      if (!gpu)
        return {
          priority: top,
          reason: `a hardware adapter may exist (${runtime.kind === 'node' ? `on ${process.platform} only Dawn can tell` : 'the browser decides'})`,
        };
      if (gpu.possible) return { priority: top, reason: `a hardware adapter may exist (${gpu.evidence})` };
      return {
        priority: software,
        reason:
          `${gpu.evidence}, so Dawn could find at most a software adapter, which 'auto' ranks at priority ${software}; ` +
          `Dawn was not loaded to look (useBackend('webgpu') still probes it)`,
      };
    },
  };
  return plugin;
}

function describeUsable(
  info: WebGpuAdapterInfo,
  notes: readonly string[],
  opts: ResolvedWebGpuOptions,
): ProbeResult {
  const what = adapterSummary(info);
  const extra = notes.length ? ` ${notes.join(' ')}` : '';
  if (!info.isSoftware) return { usable: true, detail: `${what}.${extra}`, priority: HARDWARE_PRIORITY };
  return {
    usable: true,
    priority: opts.softwarePriority,
    detail:
      `${what}. This is a software adapter: it emulates a GPU on the CPU, so results are correct but slower than ` +
      `the 'wasm' and 'cpu' backends; 'auto' therefore ranks it at priority ${opts.softwarePriority}, below cpu ` +
      `(1) and wasm (20). useBackend('webgpu') still selects it.${extra}`,
  };
}

async function requestDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  // The limits and features tfjs-backend-webgpu itself asks for.
  const l = adapter.limits;
  const requiredFeatures: GPUFeatureName[] = [];
  if (adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  try {
    return await adapter.requestDevice({
      requiredFeatures,
      requiredLimits: {
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      },
    });
  } catch (e) {
    throw new BackendUnavailableError(
      'webgpu',
      `the adapter refused to create a device: ${(e as Error).message}`,
      "Close other programs using the GPU, or use the 'wasm' or 'cpu' backend.",
    );
  }
}

/**
 * The default WebGPU plugin (options from the environment), registered when the package is imported.
 * @public
 */
export const webgpuBackend: WebGpuBackendPlugin = createWebgpuBackend();
