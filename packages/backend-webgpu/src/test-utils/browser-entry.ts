// The page the browser tests load: the webgpu plugin and the conformance suite, bundled for the browser.
// It probes the plugin, computes one matmul, and offers the conformance suite to the test on window.
import { tf, useBackend } from '@nutshell/backend';
import { runConformance } from '@nutshell/backend-conformance';
import type { ConformanceReport, DigitsData } from '@nutshell/backend-conformance';
import { createWebgpuBackend, webgpuBackend } from '../index.js';

interface Outcome {
  probe: unknown;
  adapter?: unknown;
  backend?: string;
  matmul?: number[];
  error?: string;
}

async function main(): Promise<Outcome> {
  const probe = await webgpuBackend.probe();
  if (!probe.usable) return { probe };
  await useBackend('webgpu');
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  const p = tf.matMul(a, a);
  const matmul = Array.from(await p.data());
  tf.dispose([a, p]);
  return { probe, adapter: webgpuBackend.adapterInfo(), backend: tf.getBackend(), matmul };
}

const w = globalThis as unknown as {
  __nutshell?: Promise<Outcome>;
  __conformance?: (digits: { x: number[]; y: number[]; n: number }) => Promise<ConformanceReport>;
};
w.__nutshell = main().catch((e: Error) => ({ probe: undefined, error: `${e.name}: ${e.message}\n${e.stack ?? ''}` }));
// Every op on the GPU (no CPU forwarding of small ops), so the suite checks WebGPU kernels.
w.__conformance = (digits) => {
  const data: DigitsData = { x: Float32Array.from(digits.x), y: Int32Array.from(digits.y), n: digits.n };
  return runConformance(createWebgpuBackend({ cpuForward: false }), { digits: data });
};
