import { afterAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { createWebgpuBackend } from '../index.js';

const plugin = createWebgpuBackend({ cpuForward: false });
const probe = await plugin.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

afterAll(async () => {
  await useBackend('cpu');
});

/** Reverses `axes` of a row-major array on the host: the reference. */
function reverseReference(values: Float32Array, shape: number[], axes: number[]): number[] {
  const out = new Array<number>(values.length);
  const coords = new Array<number>(shape.length);
  for (let flat = 0; flat < values.length; flat++) {
    let rest = flat;
    for (let a = shape.length - 1; a >= 0; a--) {
      coords[a] = rest % shape[a];
      rest = Math.floor(rest / shape[a]);
    }
    let src = 0;
    for (let a = 0; a < shape.length; a++)
      src = src * shape[a] + (axes.includes(a) ? shape[a] - 1 - coords[a] : coords[a]);
    out[flat] = values[src];
  }
  return out;
}

describe.skipIf(!probe.usable)(
  `reverse at rank 5 and 6 on webgpu (tfjs 4.22's kernel fails there)${why}`,
  () => {
    const cases: { shape: number[]; axes: number[] }[] = [
      { shape: [2, 3, 4, 5, 2], axes: [1, 3] },
      { shape: [2, 3, 1, 2, 3, 2], axes: [0, 4, -1] },
      { shape: [3, 2, 2, 2, 2], axes: [] },
    ];
    for (const { shape, axes } of cases) {
      it(`rank ${shape.length}, axes ${JSON.stringify(axes)}, equals the host reference, gradient included`, async () => {
        await useBackend(plugin);
        const backend = tf.backend();
        const tensors = tf.memory().numTensors;
        const ids = backend.numDataIds();
        const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1);
        const positive = axes.map((a) => (a < 0 ? a + shape.length : a));
        const x = tf.tensor(values, shape);
        const y = tf.reverse(x, axes);
        expect(y.shape).toEqual(shape);
        expect(Array.from(await y.data())).toEqual(reverseReference(values, shape, positive));
        // Reverse's gradient is the reverse of the upstream gradient: weights w give back w reversed.
        const w = tf.tensor(values, shape);
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reverse(t, axes), w)))(x);
        expect(Array.from(await g.data())).toEqual(reverseReference(values, shape, positive));
        tf.dispose([x, y, w, g]);
        expect(tf.memory().numTensors).toBe(tensors);
        expect(backend.numDataIds()).toBe(ids);
      });
    }
  },
);
