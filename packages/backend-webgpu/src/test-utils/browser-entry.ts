// The page the browser test loads: probes the webgpu plugin in the browser, then runs checks on it, and
// leaves the outcome on window.__nutshell for the test to read.
import { tf, useBackend } from '@nutshell/backend';
import { webgpuBackend } from '../index.js';

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

(globalThis as { __nutshell?: Promise<Outcome> }).__nutshell = main().catch((e: Error) => ({
  probe: undefined,
  error: `${e.name}: ${e.message}\n${e.stack ?? ''}`,
}));
