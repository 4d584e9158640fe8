import { describe, expect, it } from 'vitest';
import { cpuBackend, tf } from '@nutshell/backend';
import type { BackendPlugin } from '@nutshell/backend';
import { defineConformanceSuite, formatConformanceReport, listConformanceChecks, runConformance } from './index.js';

// The whole suite on the built-in CPU backend: forward against float64, gradients against float64
// central differences, training runs (twice on the CPU backend, so also a determinism check).
await defineConformanceSuite(cpuBackend);

const absent: BackendPlugin = {
  name: 'absent-device',
  priority: 0,
  probe: async () => ({ usable: false, reason: 'no absent-device adapter was found.', fix: 'Install its driver.' }),
  activate: async () => {
    throw new Error('must not be activated');
  },
  info: () => ({ name: 'absent-device', device: 'none', floatPrecision: 32, bytesInUse: 0, numTensors: 0 }),
};

// A backend whose hardware is absent shows up as skipped tests, with the reason in their titles.
await defineConformanceSuite(absent, { filter: 'relu' });

/** A copy of the CPU backend with one kernel replaced, to check the suite catches a wrong kernel. */
function sabotaged(kernelName: string, kernelFunc: tf.KernelFunc): BackendPlugin {
  const name = `cpu-with-bad-${kernelName.toLowerCase()}`;
  return {
    name,
    priority: 0,
    probe: async () => ({ usable: true }),
    activate: async () => {
      if (!tf.findBackendFactory(name)) {
        tf.registerBackend(name, tf.findBackendFactory('cpu'), 0);
        for (const k of tf.getKernelsForBackend('cpu')) {
          tf.registerKernel({ ...k, backendName: name, kernelFunc: k.kernelName === kernelName ? kernelFunc : k.kernelFunc });
        }
      }
      await tf.setBackend(name);
    },
    info: () => ({ name, device: 'test', floatPrecision: 32, bytesInUse: 0, numTensors: 0 }),
  };
}

describe('runConformance', () => {
  it('checks at least 40 kernels forward, and gradients and training runs', () => {
    const checks = listConformanceChecks();
    const kinds = new Set(checks.map((c) => c.kind));
    expect(kinds).toEqual(new Set(['forward', 'gradient', 'training']));
    expect(checks.filter((c) => c.kind === 'gradient').length).toBeGreaterThanOrEqual(40);
  });

  it('reports an unusable backend as skipped with the probe reason, never as passed', async () => {
    const report = await runConformance(absent);
    expect(report).toMatchObject({ backend: 'absent-device', passed: false, results: [] });
    expect(report.skipped).toBe('no absent-device adapter was found. Install its driver.');
    expect(formatConformanceReport(report)).toContain('SKIPPED (not passed)');
  });

  it('fails a backend whose kernel is wrong, names the check, and restores the previous backend', async () => {
    // ReLU that leaks a little of the negative part: forward and gradient must both fail.
    const leaky: tf.KernelFunc = ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      const values = (backend as unknown as { readSync(id: object): Float32Array }).readSync(x.dataId);
      const out = values.map((v) => (v > 0 ? v : 0.01 * v));
      return (backend as unknown as { makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo }).makeTensorInfo(x.shape, 'float32', out);
    };
    const before = tf.getBackend();
    const report = await runConformance(sabotaged('Relu', leaky), { filter: /^relu$/, kinds: ['forward', 'gradient'] });
    expect(tf.getBackend()).toBe(before);
    const forward = report.results.find((r) => r.kind === 'forward')!;
    expect(forward.passed).toBe(false);
    expect(forward.maxError).toBeGreaterThan(1e-3);
    expect(forward.message).toMatch(/vs CPU backend .*vs float64/);
    expect(report.passed).toBe(false);
  });

  it('loads the packaged digits for the training runs and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const report = await runConformance(cpuBackend, { kinds: ['training'], filter: 'MLP' });
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ kind: 'training', passed: true, maxError: 0 });
    expect(report.results[0].message).toMatch(/accuracy (9\d|100)\.\d%/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
