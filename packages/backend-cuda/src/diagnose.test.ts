import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, tf, useBackend } from '@nutshell/backend';
import { createCudaBackend, createTensorflowBackend, cudaBackend, diagnoseCuda, diagnoseTensorflow, tensorflowBackend } from './index.js';
import { fakeInstall, type FakeInstall, type FakeInstallOptions } from './test-utils/fakeInstall.js';

const installs: FakeInstall[] = [];
function machine(o: FakeInstallOptions = {}): FakeInstall {
  const m = fakeInstall(o);
  installs.push(m);
  return m;
}
/** Probe options that look only inside the fake machine. */
function on(m: FakeInstall, smi = false) {
  return {
    resolveFrom: m.project,
    driverVersionFile: m.driverVersionFile,
    nvidiaSmi: smi ? m.nvidiaSmi : (false as const),
    libraryDirs: m.loaderDirs,
    cudaHintDirs: m.hintDirs,
  };
}

afterEach(async () => {
  await tf.setBackend('cpu');
  if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  for (const m of installs.splice(0)) m.cleanup();
});

describe('on this machine (nothing installed)', () => {
  it('the CUDA probe stops at the first check: the optional peer is not installed', async () => {
    const d = await diagnoseCuda();
    expect(d.usable).toBe(false);
    expect(d.steps).toHaveLength(1);
    expect(d.steps[0]).toMatchObject({ check: 'peer', ok: false });
    expect(d.steps[0].message).toBe(
      '@tensorflow/tfjs-node-gpu is not installed (it is an optional peer dependency of @nutshell/backend-cuda).',
    );
    expect(d.steps[0].fix).toMatch(/^On Linux x64 with CUDA 11\.2 and cuDNN 8\.1: npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/);
    expect(d.steps[0].fix).toContain('On CUDA 12 or 13, use @nutshell/backend-webgpu instead');
  });

  it('both plugins are registered on import and refuse, with the reason and the fix, when named', async () => {
    const cuda = await cudaBackend.probe();
    expect(cuda).toMatchObject({ usable: false, reason: expect.stringContaining('tfjs-node-gpu is not installed') });
    const err = await useBackend('cuda').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/^Backend 'cuda' is unavailable: @tensorflow\/tfjs-node-gpu is not installed .* Fix: On Linux x64/);
    await expect(useBackend('tensorflow')).rejects.toThrow(/@tensorflow\/tfjs-node is not installed/);
    expect(tf.getBackend()).toBe('cpu');
    expect(tensorflowBackend.info().device).toBe('libtensorflow (not activated)');
  });

  it.skipIf(existsSync('/proc/driver/nvidia/version'))('with the peer installed, finds no NVIDIA driver here', async () => {
    const m = machine();
    const d = await diagnoseCuda({ resolveFrom: m.project }); // real /proc, real nvidia-smi lookup, real ld paths
    expect(d.steps.map((s) => [s.check, s.ok])).toEqual([['peer', true], ['binding', true], ['driver', false]]);
    expect(d.steps[2].message).toBe(
      'No NVIDIA driver found: /proc/driver/nvidia/version does not exist and nvidia-smi did not run. ' +
        'CUDA 11.2 needs driver 450.80.02 or newer.',
    );
  });
});

describe('the peer and its native parts', () => {
  it('installed with --ignore-scripts: the binding lib/napi-v8/tfjs_binding.node is missing', async () => {
    const m = machine({ binding: false, libtensorflow: false });
    const d = await diagnoseCuda(on(m));
    expect(d.steps.map((s) => s.ok)).toEqual([true, false]);
    expect(d.steps[1].check).toBe('binding');
    expect(d.steps[1].message).toContain('lib/napi-v8/tfjs_binding.node is missing: its install script did not run');
    expect(d.steps[1].fix).toBe('Run npm rebuild @tensorflow/tfjs-node-gpu with access to storage.googleapis.com (do not install with --ignore-scripts).');
  });

  it('binding built but the libtensorflow download did not finish', async () => {
    const m = machine({ libtensorflow: false });
    const d = await diagnoseCuda(on(m));
    expect(d.steps[1]).toMatchObject({ check: 'binding', ok: false });
    expect(d.steps[1].message).toMatch(/libtensorflow is missing from .*\/deps\/lib: the download of libtensorflow 2\.9\.1 did not finish/);
  });

  it('another release than 4.22.0 is refused, with the version to install', async () => {
    const m = machine({ version: '4.10.0' });
    const d = await diagnoseCuda(on(m));
    expect(d.steps[0]).toMatchObject({ check: 'peer', ok: false, fix: 'npm install @tensorflow/tfjs-node-gpu@4.22.0' });
    expect(d.steps[0].message).toContain('@tensorflow/tfjs-node-gpu 4.10.0 is installed');
  });
});

describe('the NVIDIA driver', () => {
  it('reads the version from the proc file (proprietary and open kernel modules)', async () => {
    const m = machine({ cudart: null });
    expect((await diagnoseCuda(on(m))).driver?.version).toBe('535.104.05');
    const open = machine({
      cudart: null,
      driver: 'NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  560.35.03  Release Build  (dvs-builder@U16)  Fri Aug 16 21:42:42 UTC 2024\n',
    });
    expect((await diagnoseCuda(on(open))).steps[2]).toMatchObject({ check: 'driver', ok: true });
    expect((await diagnoseCuda(on(open))).driver?.version).toBe('560.35.03');
  });

  it('a driver older than CUDA 11 needs is refused with both versions', async () => {
    const m = machine({ driver: 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  440.33.01  Wed Nov 13 00:00:22 UTC 2019\n' });
    const d = await diagnoseCuda(on(m));
    expect(d.steps[2]).toMatchObject({ check: 'driver', ok: false });
    expect(d.steps[2].message).toBe('NVIDIA driver 440.33.01 is too old: CUDA 11.2 needs 450.80.02 or newer.');
  });

  it('without the proc file, nvidia-smi is asked, which also gives the GPUs and the newest CUDA the driver runs', async () => {
    const m = machine({ driver: null, cudart: null });
    const d = await diagnoseCuda(on(m, true));
    expect(d.driver).toEqual({
      version: '535.104.05',
      source: 'nvidia-smi',
      maxCuda: '12.2',
      gpus: [{ name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559, memoryUsedMiB: 523 }],
    });
    expect(d.steps[2].message).toBe(
      'NVIDIA driver 535.104.05 (supports up to CUDA 12.2), read from nvidia-smi; CUDA 11.2 needs 450.80.02 or newer.',
    );
  });
});

describe('the CUDA 11.2 runtime and cuDNN 8', () => {
  it('a machine with only CUDA 12 is told plainly that tfjs-node-gpu 4.22 cannot use it, and what to use instead', async () => {
    const m = machine({ cudart: null });
    m.lib('usr/local/cuda-12.4/lib64', 'libcudart.so.12');
    m.lib('usr/local/cuda-12.4/lib64', 'libcudart.so.12.4.127');
    const d = await diagnoseCuda(on(m));
    const last = d.steps[d.steps.length - 1];
    expect(last).toMatchObject({ check: 'cuda-runtime', ok: false });
    expect(last.message).toMatch(/^libcudart\.so\.11\.0 was not found; this machine has CUDA 12 \(.*libcudart\.so\.12/);
    expect(last.message).toContain('tfjs-node-gpu 4.22.0 is built against CUDA 11.2 and cuDNN 8.1 and cannot use CUDA 12');
    expect(last.fix).toContain('@nutshell/backend-webgpu');
    expect(last.fix).toContain('Vulkan');
  });

  it('CUDA 11.2 installed where the loader does not look: says which directory to add to LD_LIBRARY_PATH', async () => {
    const m = machine({ cudart: 'hint' });
    const d = await diagnoseCuda(on(m));
    const last = d.steps[d.steps.length - 1];
    expect(last.message).toMatch(/libcudart\.so\.11\.0 is installed in .*cuda-11\.2\/lib64, but the dynamic loader does not search that directory/);
    expect(last.fix).toMatch(/^export LD_LIBRARY_PATH=.*cuda-11\.2\/lib64:\$LD_LIBRARY_PATH/);
  });

  it('a file with the right name that is not a shared object does not count', async () => {
    const m = machine({ cudart: null });
    m.lib('usr/lib/x86_64-linux-gnu', 'libcudart.so.11.0', 'not a library\n');
    const d = await diagnoseCuda(on(m));
    expect(d.steps[3]).toMatchObject({ check: 'cuda-runtime', ok: false });
    expect(d.steps[3].message).toMatch(/^libcudart\.so\.11\.0 \(the CUDA 11\.2 runtime\) was not found in /);
  });

  it('cuDNN 9 instead of 8 is named', async () => {
    const m = machine({ cudnn: false });
    m.lib('usr/lib/x86_64-linux-gnu', 'libcudnn.so.9');
    const d = await diagnoseCuda(on(m));
    expect(d.steps.map((s) => s.check)).toEqual(['peer', 'binding', 'driver', 'cuda-runtime', 'cudnn']);
    expect(d.steps[4].message).toMatch(/^libcudnn\.so\.8 was not found; this machine has cuDNN 9 .*cannot use cuDNN 9/);
  });
});

describe('libtensorflow itself', () => {
  it('a complete install probes usable, without changing the current backend, and activates', async () => {
    const m = machine();
    const plugin = createCudaBackend(on(m, true));
    const probe = await plugin.probe();
    expect(probe.usable).toBe(true);
    expect(tf.getBackend()).toBe('cpu');
    if (probe.usable) expect(probe.detail).toContain('libtensorflow runs on the GPU.');
    await useBackend(plugin);
    expect(tf.getBackend()).toBe('tensorflow');
    expect(plugin.info()).toMatchObject({ name: 'cuda', device: 'NVIDIA H100 80GB HBM3 (81559 MiB, 523 MiB in use)' });
    expect(plugin.info().extra).toMatchObject({ driver: '535.104.05', driverMaxCuda: '12.2', package: '@tensorflow/tfjs-node-gpu@4.22.0' });
  });

  it('libtensorflow that falls back to the CPU is not a CUDA backend', async () => {
    const m = machine({ entry: 'cpu' });
    const d = await diagnoseCuda(on(m));
    expect(d.steps[5]).toMatchObject({ check: 'tensorflow', ok: false });
    expect(d.steps[5].message).toMatch(/^libtensorflow 2\.9\.1 loaded but sees no GPU/);
    expect(d.tensorflowOnGpu).toBe(false);
  });

  it('a load failure is reported with the loader message', async () => {
    const m = machine({ entry: { throws: 'libcublas.so.11: cannot open shared object file: No such file or directory' } });
    const d = await diagnoseCuda(on(m));
    expect(d.steps[5].message).toBe(
      'Loading @tensorflow/tfjs-node-gpu failed: libcublas.so.11: cannot open shared object file: No such file or directory',
    );
  });

  it("the 'tensorflow' plugin takes @tensorflow/tfjs-node on the CPU", async () => {
    const m = machine({ pkg: '@tensorflow/tfjs-node', entry: 'cpu' });
    const d = await diagnoseTensorflow({ resolveFrom: m.project });
    expect(d.steps.map((s) => s.check)).toEqual(['peer', 'binding', 'tensorflow']);
    expect(d.usable).toBe(true);
    const plugin = createTensorflowBackend({ resolveFrom: m.project });
    await useBackend(plugin);
    expect(tf.getBackend()).toBe('tensorflow');
    expect(plugin.info().device).toBe('CPU (libtensorflow 2.9.1)');
  });
});
