import { describe, expect, it } from 'vitest';
import { explainNoAdapter } from './diagnosis.js';
import type { NoAdapterFacts } from './diagnosis.js';

// Dawn's own words, as dawn.node 0.6.2 prints them on these failures (seen on Debian 12).
const MESA22_REJECTED = 'Vulkan shaderUniform*ArrayDynamicIndexing required.';
const NO_DRIVERS = ['vkCreateInstance: Found no drivers!', 'vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER'];
const lvp = (mesaVersion?: string) => ({
  manifest: '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json',
  name: 'lvp',
  ...(mesaVersion ? { mesaVersion } : {}),
});

const facts = (over: Partial<NoAdapterFacts>): NoAdapterFacts => ({
  platform: 'linux',
  attempts: [{ backend: 'vulkan', messages: [] }],
  vulkanLoader: '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  vulkanDrivers: [lvp('25.0.7')],
  ...over,
});

describe('explainNoAdapter', () => {
  it('no Vulkan loader: says so and names the packages that install it', () => {
    const r = explainNoAdapter(facts({ vulkanLoader: null }));
    expect(r.reason).toBe(
      'WebGPU (Dawn, Node) found no adapter on linux. Vulkan: no Vulkan loader (libvulkan.so.1) is installed.',
    );
    expect(r.fix).toContain('apt-get install libvulkan1 mesa-vulkan-drivers');
    expect(r.fix).toContain('bookworm-backports');
  });

  it('a loader with no driver: says where it looked and quotes Dawn', () => {
    const r = explainNoAdapter(facts({ vulkanDrivers: [], attempts: [{ backend: 'vulkan', messages: NO_DRIVERS }] }));
    expect(r.reason).toContain('the Vulkan loader is installed but found no Vulkan driver in the icd.d folders');
    expect(r.reason).toContain('Found no drivers!');
    expect(r.fix).toContain("Mesa's software driver lavapipe");
    const overridden = explainNoAdapter(
      facts({ vulkanDrivers: [], icdOverride: '/nonexistent', attempts: [{ backend: 'vulkan', messages: NO_DRIVERS }] }),
    );
    expect(overridden.reason).toContain('VK_ICD_FILENAMES/VK_DRIVER_FILES=/nonexistent');
    expect(overridden.fix).toContain('check VK_ICD_FILENAMES');
  });

  it("Debian 12's Mesa 22.3.6 lavapipe: names the driver, the version, Dawn's complaint and the Mesa that works", () => {
    const r = explainNoAdapter(
      facts({ vulkanDrivers: [lvp('22.3.6')], attempts: [{ backend: 'vulkan', messages: [MESA22_REJECTED] }] }),
    );
    expect(r.reason).toBe(
      'WebGPU (Dawn, Node) found no adapter on linux. Vulkan: Dawn rejected the Vulkan driver ' +
        `(lavapipe (Mesa, software), Mesa 22.3.6): Dawn says "${MESA22_REJECTED}".`,
    );
    expect(r.fix).toMatch(/^Mesa 22\.3\.6 is too old for Dawn \(25\.0 is known to work\): upgrade Mesa to 25 or newer/);
    expect(r.fix).toContain('apt-get install -t bookworm-backports mesa-vulkan-drivers');
  });

  it('a rejected driver that is recent or not Mesa: advises a driver update, not a Mesa upgrade', () => {
    const r = explainNoAdapter(
      facts({ vulkanDrivers: [{ manifest: '/etc/vulkan/icd.d/nvidia_icd.json', name: 'nvidia' }], attempts: [{ backend: 'vulkan', messages: ['x'] }] }),
    );
    expect(r.reason).toContain('(NVIDIA proprietary)');
    expect(r.fix).toBe("Update the GPU's Vulkan driver. Or use the 'wasm' or 'cpu' backend.");
  });

  it('a loader that cannot be loaded', () => {
    const r = explainNoAdapter(
      facts({ attempts: [{ backend: 'vulkan', messages: ["Couldn't load Vulkan: /lib/libvulkan.so.1: file too short"] }] }),
    );
    expect(r.reason).toContain('the Vulkan loader (libvulkan.so.1) could not be loaded');
    expect(r.fix).toContain('--reinstall libvulkan1');
  });

  it('Vulkan and OpenGL ES both failing: both reasons, Vulkan fix first, then the EGL packages', () => {
    const r = explainNoAdapter(
      facts({
        vulkanLoader: null,
        eglLibrary: null,
        attempts: [
          { backend: 'vulkan', messages: [] },
          { backend: 'opengles', messages: [] },
        ],
      }),
    );
    expect(r.reason).toBe(
      'WebGPU (Dawn, Node) found no adapter on linux. Vulkan: no Vulkan loader (libvulkan.so.1) is installed. ' +
        'OpenGL ES: no EGL library (libEGL.so.1) is installed for the OpenGL ES backend.',
    );
    expect(r.fix.indexOf('libvulkan1')).toBeLessThan(r.fix.indexOf('libegl1 libegl-mesa0 libgl1-mesa-dri'));
    expect(r.fix).toMatch(/Or use the 'wasm' or 'cpu' backend\.$/);
  });

  it('forced OpenGL ES with EGL present: quotes Dawn', () => {
    const r = explainNoAdapter({ platform: 'linux', attempts: [{ backend: 'opengles', messages: ['EGL failed'] }], eglLibrary: '/usr/lib/libEGL.so.1' });
    expect(r.reason).toContain("OpenGL ES: Dawn's OpenGL ES backend gave no adapter at the compatibility feature level");
    expect(r.reason).toContain('EGL failed');
    expect(r.fix).toContain('EGL_PLATFORM=surfaceless');
  });

  it('other platforms: the default backend, and a driver update', () => {
    const r = explainNoAdapter({ platform: 'win32', attempts: [{ backend: 'default', messages: [] }] });
    expect(r.reason).toBe('WebGPU (Dawn, Node) found no adapter on win32. default: no adapter.');
    expect(r.fix).toBe("Update the GPU driver. Or use the 'wasm' or 'cpu' backend.");
  });
});
