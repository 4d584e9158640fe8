// Whether a hardware GPU could be reached from this process on Linux, answered from /dev alone (no library loaded).
//
// Every Linux GPU driver that Vulkan or OpenGL ES can use talks to the kernel through a device node: DRM render nodes
// (/dev/dri/renderD*: AMD, Intel, Nouveau, NVIDIA with nvidia-drm, virtio-gpu, Raspberry Pi's v3d, Arm's Panfrost),
// NVIDIA's own nodes (/dev/nvidia0, /dev/nvidiactl), WSL2's paravirtual GPU (/dev/dxg), Qualcomm's KGSL
// (/dev/kgsl-3d0), Arm's Mali kernel driver (/dev/mali0) and Vivante (/dev/galcore). A container without GPU access
// has none of them, and then the only adapters Dawn could find are software ones (lavapipe, llvmpipe, SwiftShader),
// which 'auto' ranks below the CPU backends anyway. Loading Dawn and a Vulkan driver to learn that costs 60–110 MB
// of resident memory, so the plugin's `probeCeiling` reports this instead and 'auto' leaves Dawn unloaded.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Names in /dev (and /dev/dri) that belong to a GPU driver; see the file comment. */
const TOP_LEVEL = /^(nvidia\d+|nvidiactl|dxg|kgsl-3d\d+|mali\d+|galcore)$/;
const DRI = /^(renderD\d+|card\d+)$/;

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The GPU device nodes under `dev` (default `/dev`), as paths; empty when there is none. Reads two directories.
 */
export function gpuDeviceNodes(dev = '/dev'): string[] {
  const dri = join(dev, 'dri');
  return [
    ...list(dri)
      .filter((n) => DRI.test(n))
      .map((n) => join(dri, n)),
    ...list(dev)
      .filter((n) => TOP_LEVEL.test(n))
      .map((n) => join(dev, n)),
  ].sort();
}
