import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NutshellError, tf, useBackend, lastBackendSelection } from '@nutshell/backend';
import { createWebgpuBackend, webgpuBackend } from './index.js';

const probe = await webgpuBackend.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

// Runs a probe in a fresh Node process with extra environment variables, against the built package.
function probeInChild(env: Record<string, string>): {
  usable: boolean;
  reason?: string;
  fix?: string;
  detail?: string;
} {
  const dist = new URL('../dist/index.js', import.meta.url).href;
  const out = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(dist)}); console.log('@@' + JSON.stringify(await m.webgpuBackend.probe()));`,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 60_000,
    },
  );
  const line = out.stdout.split('\n').find((l) => l.startsWith('@@'));
  if (!line) throw new Error(`child probe printed nothing: ${out.stderr}`);
  return JSON.parse(line.slice(2));
}

describe.skipIf(!probe.usable)(`webgpu plugin on this machine's adapter${why}`, () => {
  it('probe names the adapter; a software adapter ranks below wasm and cpu, and says why', () => {
    if (!probe.usable) return;
    const info = webgpuBackend.adapterInfo()!;
    expect(info.limits.maxBufferSize).toBeGreaterThan(0);
    if (info.isSoftware) {
      expect(probe.priority).toBe(0.5);
      expect(probe.detail).toContain('software adapter');
      expect(probe.detail).toContain(
        "'auto' therefore ranks it at priority 0.5, below cpu (1) and wasm (20)",
      );
    } else {
      expect(probe.priority).toBe(30);
    }
  });

  it("'auto' ranks a software adapter below the CPU and a hardware adapter above every other backend", async () => {
    const sel = await useBackend('auto');
    if (webgpuBackend.adapterInfo()?.isSoftware) {
      expect(sel.name).not.toBe('webgpu');
      // Without a GPU device node 'auto' does not even probe it (autoCeiling.test.ts); with one it probes and ranks it.
      const ceiling = webgpuBackend.probeCeiling();
      expect(sel.skipped.find((s) => s.name === 'webgpu')?.reason).toBe(
        ceiling.priority === 0.5
          ? `not probed: ${sel.name} ${sel.reason.match(/\(priority [\d.]+/)![0]}) ranks at or above the most its probe could report here (0.5: ${ceiling.reason})`
          : 'usable, but lower priority (0.5)',
      );
    } else {
      expect(sel.name).toBe('webgpu');
      expect(sel.reason).toContain("'auto': highest-priority usable backend (priority 30");
    }
    await useBackend('cpu');
  });

  it('activates, computes a matmul equal to the hand-computed product, and reports the adapter', async () => {
    await useBackend('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(lastBackendSelection().name).toBe('webgpu');
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const p = tf.matMul(a, a);
    expect(Array.from(await p.data())).toEqual([7, 10, 15, 22]);
    tf.dispose([a, p]);
    const info = webgpuBackend.info();
    expect(info.name).toBe('webgpu');
    expect(info.floatPrecision).toBe(32);
    const adapter = info.extra!.adapter as {
      vendor: string;
      limits: { maxStorageBufferBindingSize: number };
    };
    expect(info.device).toContain('adapter');
    expect(adapter.limits.maxStorageBufferBindingSize).toBeGreaterThan(1 << 20);
    expect(info.extra!.runtime).toBe('Node (Dawn from the webgpu package)');
  });

  it('dataSync on a tensor that lives on the GPU throws a NutshellError saying to read asynchronously', async () => {
    await useBackend('webgpu');
    // 4096 elements: above the size (WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD, 1000) under which tfjs forwards an op with CPU inputs to the CPU.
    const x = tf.range(0, 4096);
    const y = tf.mul(x, tf.scalar(2));
    expect(() => y.dataSync()).toThrow(NutshellError);
    expect(() => y.dataSync()).toThrow('Use await tensor.data()');
    const expected = Array.from({ length: 4096 }, (_, i) => 2 * i);
    expect(Array.from(await y.data())).toEqual(expected);
    expect(Array.from(y.dataSync())).toEqual(expected); // once read, the values are cached on the CPU
    tf.dispose([x, y]);
  });

  it('cpuForward: false keeps small ops on the GPU (WEBGPU_CPU_FORWARD)', async () => {
    const onGpu = createWebgpuBackend({ cpuForward: false });
    await useBackend(onGpu);
    expect(tf.env().getBool('WEBGPU_CPU_FORWARD')).toBe(false);
    const s = tf.add(tf.scalar(1), tf.scalar(2));
    expect((await s.data())[0]).toBe(3);
    // With forwarding off, even a scalar add produced a GPU buffer, which Node cannot read synchronously.
    const t = tf.add(tf.scalar(1), tf.scalar(2));
    expect(() => t.dataSync()).toThrow(NutshellError);
    tf.dispose([s, t]);
    await useBackend(webgpuBackend);
    expect(tf.env().getBool('WEBGPU_CPU_FORWARD')).toBe(true);
    await useBackend('cpu');
  });
});

describe('probe messages from a fresh process', () => {
  it('forced Vulkan with no Vulkan driver: says the loader found no driver and how to install one', () => {
    const r = probeInChild({ NUTSHELL_WEBGPU_BACKEND: 'vulkan', VK_ICD_FILENAMES: '/nonexistent.json' });
    expect(r.usable).toBe(false);
    expect(r.reason).toContain('Vulkan: the Vulkan loader is installed but found no Vulkan driver');
    expect(r.fix).toContain('apt-get install mesa-vulkan-drivers');
  });

  it.skipIf(!probe.usable)("'auto' with Vulkan unusable falls back to OpenGL ES and says why", () => {
    const r = probeInChild({ VK_ICD_FILENAMES: '/nonexistent.json' });
    if (!r.usable) {
      // No EGL here either: then the reason names both.
      expect(r.reason).toContain('OpenGL ES:');
      return;
    }
    expect(r.detail).toContain('via Dawn opengles (compatibility)');
    expect(r.detail).toContain('Dawn vulkan gave no adapter, so the opengles backend is used');
  });

  it('a bad NUTSHELL_WEBGPU_BACKEND makes the probe fail with the accepted values', () => {
    const r = probeInChild({ NUTSHELL_WEBGPU_BACKEND: 'metall' });
    expect(r).toEqual({
      usable: false,
      reason:
        "webgpu: NUTSHELL_WEBGPU_BACKEND is 'metall'; expected 'auto' or one of 'vulkan', 'opengles', 'metal', 'd3d12', 'd3d11'.",
      fix: 'Set NUTSHELL_WEBGPU_BACKEND to vulkan or opengles (or unset it) and NUTSHELL_WEBGPU_CPU_FORWARD to true or false.',
    });
  });
});
