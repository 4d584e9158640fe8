/**
 * What Nutshell reports about a WebGPU adapter: who made it, whether it is a GPU emulated in software, and
 * the limits that bound tensor sizes.
 * @public
 */
export interface WebGpuAdapterInfo {
  /** The adapter's vendor as the implementation names it, e.g. `'nvidia'`, `'mesa'`, `'google'`; may be empty. */
  readonly vendor: string;
  /** The GPU family, e.g. `'ampere'`, `'software'`, `'swiftshader'`; may be empty. */
  readonly architecture: string;
  /** A human-readable description (driver and version where known); may be empty. */
  readonly description: string;
  /** The device name where known; may be empty. */
  readonly device: string;
  /** True when the adapter runs on the CPU (lavapipe, llvmpipe, SwiftShader, WARP): correct, but not fast. */
  readonly isSoftware: boolean;
  /** The adapter's own `isFallbackAdapter` flag (one of the signals behind `isSoftware`). */
  readonly isFallbackAdapter: boolean;
  /** `'core'`, or `'compatibility'` for the OpenGL ES backend. */
  readonly featureLevel: 'core' | 'compatibility';
  /** Node only: the Dawn backend in use (`'vulkan'`, `'opengles'`, ...); `undefined` in browsers. */
  readonly dawnBackend?: string;
  /** The limits that matter for tensors. */
  readonly limits: {
    readonly maxBufferSize: number;
    readonly maxStorageBufferBindingSize: number;
    readonly maxComputeWorkgroupStorageSize: number;
    readonly maxComputeInvocationsPerWorkgroup: number;
    readonly maxComputeWorkgroupSizeX: number;
    readonly maxComputeWorkgroupsPerDimension: number;
  };
}

// Names of CPU implementations of GPU APIs, as they appear in adapter vendor/architecture/description/device.
const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|\bwarp\b|basic render|software/i;

/** Whether adapter info describes a software adapter: its fallback flag, or a known software renderer's name. */
export function isSoftwareAdapter(info: {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}): boolean {
  if (info.isFallbackAdapter) return true;
  return [info.vendor, info.architecture, info.description, info.device].some((s) => !!s && SOFTWARE_NAMES.test(s));
}

/** Reads what Nutshell reports from a GPUAdapter. */
export function describeAdapter(
  adapter: GPUAdapter,
  featureLevel: 'core' | 'compatibility',
  dawnBackend?: string,
): WebGpuAdapterInfo {
  const raw = (adapter as { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info ?? {};
  const r = raw as Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean };
  const fallback = !!(r.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  const base = {
    vendor: r.vendor ?? '',
    architecture: r.architecture ?? '',
    description: r.description ?? '',
    device: r.device ?? '',
    isFallbackAdapter: fallback,
  };
  const l = adapter.limits;
  return {
    ...base,
    isSoftware: isSoftwareAdapter(base),
    featureLevel,
    ...(dawnBackend ? { dawnBackend } : {}),
    limits: {
      maxBufferSize: l.maxBufferSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    },
  };
}

/** The adapter in a few words, e.g. "mesa software adapter 'llvmpipe: Mesa 25.0.7' (Dawn vulkan)". */
export function adapterSummary(info: WebGpuAdapterInfo): string {
  const arch = /^software$/i.test(info.architecture) ? '' : info.architecture;
  const who = [info.vendor, arch].filter(Boolean).join(' ');
  const what = info.description || info.device;
  const via = info.dawnBackend ? ` via Dawn ${info.dawnBackend}${info.featureLevel === 'compatibility' ? ' (compatibility)' : ''}` : '';
  return `${who ? `${who} ` : ''}${info.isSoftware ? 'software' : 'hardware'} adapter${what ? ` '${what}'` : ''}${via}`;
}
