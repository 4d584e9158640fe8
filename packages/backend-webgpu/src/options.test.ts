import { afterEach, describe, expect, it } from 'vitest';
import { NutshellError } from '@nutshell/backend';
import { resolveOptions, SOFTWARE_PRIORITY } from './options.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['NUTSHELL_WEBGPU_BACKEND', 'NUTSHELL_WEBGPU_CPU_FORWARD']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('resolveOptions', () => {
  it('defaults: auto Dawn backend, cpu forwarding on, high-performance, software priority 0.5', () => {
    delete process.env.NUTSHELL_WEBGPU_BACKEND;
    delete process.env.NUTSHELL_WEBGPU_CPU_FORWARD;
    expect(resolveOptions()).toEqual({
      dawnBackend: 'auto',
      dawnBackendSource: 'default',
      cpuForward: true,
      powerPreference: 'high-performance',
      softwarePriority: SOFTWARE_PRIORITY,
    });
    expect(SOFTWARE_PRIORITY).toBeLessThan(1); // below the built-in CPU backend
  });

  it('reads NUTSHELL_WEBGPU_BACKEND and NUTSHELL_WEBGPU_CPU_FORWARD; options win over them', () => {
    process.env.NUTSHELL_WEBGPU_BACKEND = ' OpenGLES ';
    process.env.NUTSHELL_WEBGPU_CPU_FORWARD = 'false';
    const fromEnv = resolveOptions();
    expect(fromEnv.dawnBackend).toBe('opengles');
    expect(fromEnv.dawnBackendSource).toBe('NUTSHELL_WEBGPU_BACKEND');
    expect(fromEnv.cpuForward).toBe(false);
    const fromOption = resolveOptions({ dawnBackend: 'vulkan', cpuForward: true });
    expect(fromOption.dawnBackend).toBe('vulkan');
    expect(fromOption.dawnBackendSource).toBe('option');
    expect(fromOption.cpuForward).toBe(true);
    expect(resolveOptions({}, false).dawnBackend).toBe('auto'); // environment ignored when asked
  });

  it('rejects an unknown backend, naming where it came from and what is accepted', () => {
    expect(() => resolveOptions({ dawnBackend: 'cuda' as never })).toThrow(NutshellError);
    expect(() => resolveOptions({ dawnBackend: 'cuda' as never })).toThrow(
      "webgpu: option dawnBackend is 'cuda'; expected 'auto' or one of 'vulkan', 'opengles', 'metal', 'd3d12', 'd3d11'.",
    );
    process.env.NUTSHELL_WEBGPU_BACKEND = 'gl';
    expect(() => resolveOptions()).toThrow("NUTSHELL_WEBGPU_BACKEND is 'gl'");
    delete process.env.NUTSHELL_WEBGPU_BACKEND;
    process.env.NUTSHELL_WEBGPU_CPU_FORWARD = 'no';
    expect(() => resolveOptions()).toThrow("NUTSHELL_WEBGPU_CPU_FORWARD is 'no'; expected 'true' or 'false'.");
  });

  it('rejects a bad power preference and a non-finite priority', () => {
    expect(() => resolveOptions({ powerPreference: 'fast' as never })).toThrow("powerPreference is 'fast'");
    expect(() => resolveOptions({ softwarePriority: Number.NaN })).toThrow('softwarePriority is NaN');
  });
});
