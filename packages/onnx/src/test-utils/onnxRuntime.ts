// Runs an exported model in ONNX Runtime and compares it with Nutshell's own prediction.
import type { ModelLike } from '@nutshell/layers';
import { randomNormal, tf, type Tensor } from '@nutshell/tensor';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { exportOnnx } from '../exportOnnx.js';

/** Runs `bytes` on named float32 inputs; returns every output by name. */
export async function runOnnx(
  bytes: Uint8Array,
  feeds: Record<string, Tensor>,
): Promise<Record<string, { data: Float32Array; dims: number[] }>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds))
      ortFeeds[name] = new ort.Tensor('float32', (await t.data()) as Float32Array, [...t.shape]);
    const out = await session.run(ortFeeds);
    return Object.fromEntries(
      Object.entries(out).map(([k, v]) => [k, { data: v.data as Float32Array, dims: [...v.dims] }]),
    );
  } finally {
    await session.release();
  }
}

/** Largest |a − b| / max(1, |b|). */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

/**
 * Exports `model`, runs it in ONNX Runtime on a random batch of `batch` and expects every value within `tol`
 * (relative above 1, absolute below) of `model.predict`. Returns the worst difference.
 */
export async function expectSameAsOnnx(
  model: ModelLike,
  sample: readonly number[],
  seed = 1,
  tol = 1e-5,
  batch = 3,
): Promise<number> {
  const x = randomNormal([batch, ...sample], { seed });
  const y = model.predict(x);
  try {
    const out = await runOnnx(await exportOnnx(model), { input: x });
    expect(out.output.dims).toEqual(y.shape);
    const diff = maxRelDiff(out.output.data, (await y.data()) as Float32Array);
    expect(diff).toBeLessThan(tol);
    return diff;
  } finally {
    tf.dispose([x, y]);
  }
}
