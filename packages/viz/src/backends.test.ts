// The same pictures on every backend: the visualisers only read tensors asynchronously, so WASM and WebGPU (whose
// Node build cannot read synchronously) must give the CPU's pixels. An unusable backend is skipped with the reason.
import { wasmBackend } from '@nutshell/backend-wasm';
import { webgpuBackend } from '@nutshell/backend-webgpu';
import { lenet } from '@nutshell/conv';
import { numTensors, tf, useBackend } from '@nutshell/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { convolutionStep, featureMaps, filterGrid, kernelEffect, topActivatingInputs } from './index.js';

/** Every visualiser that reads tensors, on the current backend; returns what they drew. Checks for leaks. */
async function draw(): Promise<{ pixels: number[][]; indices: number[]; conv: number[][]; edge: number[] }> {
  const before = numTensors();
  const net = lenet({ seed: 1 });
  const xs = tf.tidy(() => tf.reshape(tf.linspace(0, 1, 3 * 28 * 28), [3, 28, 28, 1]));
  const one = tf.slice(xs, 0, 1);
  const maps = await featureMaps(net, one);
  const filters = await filterGrid(net.layers[2]!);
  const top = await topActivatingInputs(net, xs, { layer: 0, unit: 2, k: 3, batchSize: 2 });
  const step = await convolutionStep({
    input: [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
    kernel: [
      [1, 0],
      [0, -1],
    ],
  });
  const img = tf.tidy(() => tf.concat([tf.zeros([4, 2]), tf.ones([4, 2])], 1));
  const effect = await kernelEffect(img, [[-1, 0, 1]]);
  const edge = Array.from((await effect.filtered.data()) as Float32Array);
  tf.dispose([effect.filtered, img, one, xs]);
  net.dispose();
  expect(numTensors()).toBe(before);
  return {
    pixels: [...maps.images, ...filters.images].map((i) => Array.from(i.raster.data)),
    indices: top.indices,
    conv: step.output,
    edge,
  };
}

function maxByteDifference(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i]![j]!)))));
  return m;
}

afterAll(async () => {
  await useBackend('cpu');
});

const plugins = [wasmBackend, webgpuBackend];
const probes = await Promise.all(plugins.map((p) => p.probe()));

describe('the same pictures on every backend', () => {
  plugins.forEach((plugin, i) => {
    const probe = probes[i]!;
    (probe.usable ? it : it.skip)(
      probe.usable
        ? `${plugin.name} draws what cpu draws`
        : `${plugin.name} draws what cpu draws — skipped: ${probe.reason}`,
      async () => {
        await useBackend('cpu');
        const reference = await draw();
        await useBackend(plugin.name);
        const got = await draw();
        await useBackend('cpu');
        expect(got.pixels.length).toBe(reference.pixels.length);
        // float differences between backends may move a value across a colour-map step, never more
        expect(maxByteDifference(got.pixels, reference.pixels)).toBeLessThanOrEqual(1);
        expect(got.indices).toEqual(reference.indices);
        expect(got.conv).toEqual(reference.conv);
        expect(got.edge).toEqual(reference.edge);
      },
      60_000,
    );
  });
});
