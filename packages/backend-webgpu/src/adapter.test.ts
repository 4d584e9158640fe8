import { describe, expect, it } from 'vitest';
import { adapterSummary, isSoftwareAdapter } from './adapter.js';
import type { WebGpuAdapterInfo } from './adapter.js';

describe('isSoftwareAdapter', () => {
  it('recognises the software adapters these machines give (as reported by Dawn and Chromium)', () => {
    // Dawn on Mesa 25 lavapipe (Vulkan)
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7', isFallbackAdapter: true })).toBe(true);
    // Dawn on Mesa 22 llvmpipe (OpenGL ES): not flagged as fallback, known by its device name
    expect(isSoftwareAdapter({ vendor: '', architecture: '', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6', device: 'llvmpipe-llvm-15-0-6-256-bits-', isFallbackAdapter: false })).toBe(true);
    // Chromium's SwiftShader
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' })).toBe(true);
  });

  it('does not call a hardware GPU software', () => {
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'apple', architecture: 'metal-3', device: '' })).toBe(false);
  });
});

describe('adapterSummary', () => {
  const limits = {
    maxBufferSize: 1,
    maxStorageBufferBindingSize: 1,
    maxComputeWorkgroupStorageSize: 1,
    maxComputeInvocationsPerWorkgroup: 1,
    maxComputeWorkgroupSizeX: 1,
    maxComputeWorkgroupsPerDimension: 1,
  };
  it('names vendor, kind, description and the Dawn backend', () => {
    const info: WebGpuAdapterInfo = {
      vendor: 'mesa', architecture: 'software', description: 'llvmpipe', device: '', isSoftware: true,
      isFallbackAdapter: true, featureLevel: 'core', dawnBackend: 'vulkan', limits,
    };
    expect(adapterSummary(info)).toBe("mesa software adapter 'llvmpipe' via Dawn vulkan");
    expect(adapterSummary({ ...info, vendor: 'nvidia', architecture: 'ampere', isSoftware: false, dawnBackend: undefined, description: 'RTX' })).toBe(
      "nvidia ampere hardware adapter 'RTX'",
    );
    expect(adapterSummary({ ...info, vendor: '', featureLevel: 'compatibility', dawnBackend: 'opengles' })).toBe(
      "software adapter 'llvmpipe' via Dawn opengles (compatibility)",
    );
  });
});
