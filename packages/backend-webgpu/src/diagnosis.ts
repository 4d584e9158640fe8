// Turns what was found on a machine with no usable WebGPU adapter into a reason and a fix a user can act on.
// Pure: the Node runtime gathers the facts (src/node/facts.ts), this module only words them.

/** A Vulkan driver (ICD) the loader would offer Dawn. */
export interface VulkanDriverFact {
  /** The ICD manifest (`.../icd.d/lvp_icd.json`). */
  readonly manifest: string;
  /** The driver's short name from the manifest's file name, e.g. `'lvp'`, `'radeon'`, `'nvidia'`. */
  readonly name: string;
  /** The Mesa version found in the driver library, e.g. `'22.3.6'`; undefined when not Mesa or unreadable. */
  readonly mesaVersion?: string;
}

/** What one Dawn backend said when asked for an adapter. */
export interface DawnAttempt {
  readonly backend: string;
  /** Dawn's warnings and errors, one per entry, without stack lines. */
  readonly messages: readonly string[];
}

/** Everything the Node runtime found out on a machine where no Dawn backend gave an adapter. */
export interface NoAdapterFacts {
  readonly platform: string;
  readonly attempts: readonly DawnAttempt[];
  /** Linux: the Vulkan loader library found, or null. */
  readonly vulkanLoader?: string | null;
  /** Linux: the Vulkan drivers the loader would see. */
  readonly vulkanDrivers?: readonly VulkanDriverFact[];
  /** Linux: VK_ICD_FILENAMES / VK_DRIVER_FILES when set (they replace the search of icd.d folders). */
  readonly icdOverride?: string;
  /** Linux: the EGL library found for the OpenGL ES backend, or null. */
  readonly eglLibrary?: string | null;
}

/** The first Mesa release whose lavapipe Dawn is known to accept (25.0.7 from bookworm-backports was tested). */
export const MESA_KNOWN_GOOD = 25;
/** The newest Mesa Dawn is known to reject (Debian 12's 22.3.6): shaderUniform*ArrayDynamicIndexing. */
export const MESA_KNOWN_BAD = '22.3.6';

const DRIVER_NAMES: Readonly<Record<string, string>> = {
  lvp: 'lavapipe (Mesa, software)',
  radeon: 'RADV (Mesa, AMD)',
  intel: 'ANV (Mesa, Intel)',
  intel_hasvk: 'HasVK (Mesa, old Intel)',
  nouveau: 'NVK (Mesa, NVIDIA)',
  nvidia: 'NVIDIA proprietary',
  virtio: 'Venus (Mesa, virtio)',
  gfxstream: 'gfxstream (Mesa, emulator)',
};

function driverLabel(d: VulkanDriverFact): string {
  const base = DRIVER_NAMES[d.name] ?? d.name;
  return d.mesaVersion ? `${base}, Mesa ${d.mesaVersion}` : base;
}

function quote(messages: readonly string[]): string {
  return messages.length ? `: Dawn says "${messages.slice(0, 3).join(' / ')}"` : '';
}

function mesaMajor(v: string | undefined): number | undefined {
  const m = v ? /^(\d+)\./.exec(v) : null;
  return m ? Number(m[1]) : undefined;
}

/** Why Vulkan gave no adapter, and what to do; undefined when Vulkan was not tried. */
export function explainVulkan(f: NoAdapterFacts): { reason: string; fix: string } | undefined {
  const attempt = f.attempts.find((a) => a.backend === 'vulkan');
  if (!attempt) return undefined;
  if (f.vulkanLoader === null) {
    return {
      reason: 'no Vulkan loader (libvulkan.so.1) is installed',
      fix:
        'install the Vulkan loader and a driver (Debian/Ubuntu: apt-get install libvulkan1 mesa-vulkan-drivers, ' +
        `with Mesa ${MESA_KNOWN_GOOD} or newer; Debian 12 has it in bookworm-backports)`,
    };
  }
  const loaderBroken = attempt.messages.find((m) => /couldn't load vulkan/i.test(m));
  if (loaderBroken) {
    return {
      reason: `the Vulkan loader (libvulkan.so.1) could not be loaded${quote(attempt.messages)}`,
      fix: 'reinstall the Vulkan loader (Debian/Ubuntu: apt-get install --reinstall libvulkan1)',
    };
  }
  const noDrivers =
    (f.vulkanDrivers !== undefined && f.vulkanDrivers.length === 0) ||
    attempt.messages.some((m) => /found no drivers|VK_ERROR_INCOMPATIBLE_DRIVER/i.test(m));
  if (noDrivers) {
    const where = f.icdOverride ? `VK_ICD_FILENAMES/VK_DRIVER_FILES=${f.icdOverride}` : 'the icd.d folders';
    return {
      reason: `the Vulkan loader is installed but found no Vulkan driver in ${where}${quote(attempt.messages)}`,
      fix:
        "install your GPU's Vulkan driver, or Mesa's software driver lavapipe to run on the CPU " +
        `(apt-get install mesa-vulkan-drivers, Mesa ${MESA_KNOWN_GOOD} or newer)` +
        (f.icdOverride ? ', and check VK_ICD_FILENAMES / VK_DRIVER_FILES' : ''),
    };
  }
  const drivers = f.vulkanDrivers ?? [];
  const old = drivers.filter((d) => {
    const major = mesaMajor(d.mesaVersion);
    return major !== undefined && major < MESA_KNOWN_GOOD;
  });
  const listed = drivers.length ? ` (${drivers.map(driverLabel).join('; ')})` : '';
  const reason = `Dawn rejected the Vulkan driver${drivers.length === 1 ? '' : 's'}${listed}${quote(attempt.messages)}`;
  if (old.length) {
    const versions = [...new Set(old.map((d) => d.mesaVersion))].join(', ');
    return {
      reason,
      fix:
        `Mesa ${versions} is too old for Dawn (${MESA_KNOWN_GOOD}.0 is known to work): upgrade Mesa to ` +
        `${MESA_KNOWN_GOOD} or newer (Debian 12: add a bookworm-backports apt source, then ` +
        'apt-get install -t bookworm-backports mesa-vulkan-drivers)',
    };
  }
  return { reason, fix: "update the GPU's Vulkan driver" };
}

/** Why OpenGL ES gave no adapter, and what to do; undefined when it was not tried. */
export function explainOpenGles(f: NoAdapterFacts): { reason: string; fix: string } | undefined {
  const attempt = f.attempts.find((a) => a.backend === 'opengles');
  if (!attempt) return undefined;
  if (f.eglLibrary === null) {
    return {
      reason: 'no EGL library (libEGL.so.1) is installed for the OpenGL ES backend',
      fix: 'for the (slower) OpenGL ES backend install EGL and Mesa: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri',
    };
  }
  return {
    reason: `Dawn's OpenGL ES backend gave no adapter at the compatibility feature level${quote(attempt.messages)}`,
    fix: 'check that EGL works without a display (EGL_PLATFORM=surfaceless) and that Mesa supports OpenGL ES 3.1',
  };
}

/**
 * The reason and fix for "no Dawn backend gave an adapter", Vulkan first (the preferred backend), then the
 * OpenGL ES fallback. Each sentence names what is missing and the command that installs it.
 */
export function explainNoAdapter(f: NoAdapterFacts): { reason: string; fix: string } {
  const vk = explainVulkan(f);
  const gl = explainOpenGles(f);
  const others = f.attempts.filter((a) => a.backend !== 'vulkan' && a.backend !== 'opengles');
  const reasons: string[] = [];
  const fixes: string[] = [];
  if (vk) {
    reasons.push(`Vulkan: ${vk.reason}`);
    fixes.push(vk.fix);
  }
  if (gl) {
    reasons.push(`OpenGL ES: ${gl.reason}`);
    fixes.push(vk ? `or, ${gl.fix}` : gl.fix);
  }
  for (const a of others) reasons.push(`${a.backend}: no adapter${quote(a.messages)}`);
  if (others.length && !vk && !gl) fixes.push('update the GPU driver');
  if (!vk && f.platform === 'linux' && !gl) fixes.push('on Linux, NUTSHELL_WEBGPU_BACKEND=vulkan or opengles');
  const fix = fixes.join('; ');
  return {
    reason: `WebGPU (Dawn, Node) found no adapter on ${f.platform}. ${reasons.join('. ')}.`,
    fix: `${fix.charAt(0).toUpperCase()}${fix.slice(1)}. Or use the 'wasm' or 'cpu' backend.`,
  };
}
