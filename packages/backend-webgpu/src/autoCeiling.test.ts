import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerBackend, tf, useBackend } from '@nutshell/backend';
import { wasmBackend } from '@nutshell/backend-wasm';
import { runtime } from '#runtime';
import { gpuDeviceNodes } from './node/deviceNodes.js';
import { webgpuBackend } from './index.js';

// This file runs in its own process (vitest isolates test files), so Dawn is loaded here only if a test loads it.
const dawnMapped = () => /\/dawn\.node$/m.test(readFileSync('/proc/self/maps', 'utf8'));

describe('gpuDeviceNodes: the GPU device nodes in a /dev folder', () => {
  const dev = mkdtempSync(join(tmpdir(), 'nutshell-dev-'));
  afterAll(() => rmSync(dev, { recursive: true, force: true }));

  it('finds none in a container-like /dev, and every driver family where they exist', () => {
    for (const n of ['null', 'zero', 'tty0', 'nvidia-caps', 'fuse']) writeFileSync(join(dev, n), '');
    mkdirSync(join(dev, 'dri'));
    mkdirSync(join(dev, 'dri', 'by-path'));
    expect(gpuDeviceNodes(dev)).toEqual([]);
    for (const n of ['nvidia0', 'nvidiactl', 'dxg', 'kgsl-3d0', 'mali0', 'galcore'])
      writeFileSync(join(dev, n), '');
    for (const n of ['renderD128', 'card0']) writeFileSync(join(dev, 'dri', n), '');
    expect(gpuDeviceNodes(dev)).toEqual(
      ['dri/card0', 'dri/renderD128', 'dxg', 'galcore', 'kgsl-3d0', 'mali0', 'nvidia0', 'nvidiactl'].map(
        (n) => join(dev, n),
      ),
    );
  });

  it('answers an empty list for a folder that does not exist', () => {
    expect(gpuDeviceNodes(join(dev, 'absent'))).toEqual([]);
  });
});

const linux = process.platform === 'linux';
const nodes = linux ? gpuDeviceNodes() : [];
const headless = linux && nodes.length === 0;

describe.skipIf(!linux)("'auto' and Dawn (Linux: /proc/self/maps shows whether dawn.node is loaded)", () => {
  registerBackend(wasmBackend);
  registerBackend(webgpuBackend);

  it.skipIf(!headless)(
    `without a GPU device node, 'auto' picks a CPU backend without loading Dawn, and says why${headless ? '' : ` (skipped: this machine has ${nodes.join(', ')})`}`,
    async () => {
      expect(dawnMapped()).toBe(false);
      const ceiling = webgpuBackend.probeCeiling();
      expect(ceiling.priority).toBe(0.5);
      const sel = await useBackend('auto');
      expect(sel.name).toBe('wasm');
      expect(sel.skipped.find((s) => s.name === 'webgpu')?.reason).toBe(
        `not probed: wasm (priority 20) ranks at or above the most its probe could report here (0.5: ${ceiling.reason})`,
      );
      expect(ceiling.reason).toContain('no GPU device node in /dev');
      expect(ceiling.reason).toContain("Dawn was not loaded to look (useBackend('webgpu') still probes it)");
      expect(runtime.loaded()).toBe(false);
      expect(dawnMapped()).toBe(false);
    },
  );

  it("where a GPU device node exists, 'auto' loads Dawn and asks it, and a hardware adapter wins", async () => {
    const spy = vi
      .spyOn(runtime, 'hardwarePossible')
      .mockReturnValue({ possible: true, evidence: 'GPU device node /dev/dri/renderD128' });
    try {
      expect(webgpuBackend.probeCeiling()).toEqual({
        priority: 30,
        reason: 'a hardware adapter may exist (GPU device node /dev/dri/renderD128)',
      });
      const sel = await useBackend('auto');
      expect(runtime.loaded()).toBe(true);
      expect(dawnMapped()).toBe(true);
      const probe = await webgpuBackend.probe();
      const webgpu = sel.skipped.find((s) => s.name === 'webgpu')?.reason;
      if (!probe.usable) expect(webgpu).toBe(probe.reason);
      else if (webgpuBackend.adapterInfo()!.isSoftware) {
        expect(sel.name).toBe('wasm');
        expect(webgpu).toBe('usable, but lower priority (0.5)');
      } else expect(sel.name).toBe('webgpu');
    } finally {
      spy.mockRestore();
      await useBackend('cpu');
      tf.disposeVariables();
    }
  });
});
