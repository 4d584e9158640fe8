import { afterAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { createWebgpuBackend } from '../index.js';

const plugin = createWebgpuBackend({ cpuForward: false });
const probe = await plugin.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

afterAll(async () => {
  await useBackend('cpu');
});

interface Case {
  readonly name: string;
  readonly shape: number[];
  readonly begin: number[];
  readonly end: number[];
  readonly strides: number[];
  readonly masks?: [begin: number, end: number, ellipsis: number, newAxis: number, shrink: number];
  readonly dtype?: 'float32' | 'int32';
}

const cases: Case[] = [
  {
    name: 'stride 2 on the last axis',
    shape: [2, 3, 4, 5, 2],
    begin: [0, 1, 0, 0, 0],
    end: [2, 3, 4, 5, 2],
    strides: [1, 1, 1, 1, 2],
  },
  {
    name: 'negative stride running past the start, stride 3',
    shape: [1, 4, 3, 2, 7, 2],
    begin: [0, 2, 0, 0, 1, 0],
    end: [1, -6, 3, 2, 7, 2],
    strides: [1, -1, 1, 1, 3, 1],
  },
  {
    name: 'negative stride 2 stopping inside',
    shape: [2, 5, 3, 2, 2],
    begin: [0, 4, 2, 0, 0],
    end: [2, 0, 0, 2, 2],
    strides: [1, -2, -1, 1, 1],
  },
  {
    name: 'begin and end masks with a shrunk axis',
    shape: [3, 4, 2, 5, 2],
    begin: [1, 9, 0, 1, 0],
    end: [0, 0, 2, 0, 2],
    strides: [1, 1, 1, 2, 1],
    masks: [0b00010, 0b01000, 0, 0, 0b00001],
  },
  {
    name: 'ellipsis and a new axis',
    shape: [2, 3, 2, 4, 3],
    begin: [0, 0, 1],
    end: [0, 0, 3],
    strides: [1, 1, 2],
    masks: [0, 0, 0b001, 0b010, 0],
  },
  {
    name: 'an empty range',
    shape: [2, 2, 3, 2, 2],
    begin: [0, 0, 2, 0, 0],
    end: [2, 2, 2, 2, 2],
    strides: [1, 1, 2, 1, 1],
  },
  {
    name: 'int32 values',
    shape: [2, 3, 2, 3, 2],
    begin: [1, 0, 0, 2, 1],
    end: [2, 3, 2, 0, 2],
    strides: [1, 2, 1, -1, 1],
    dtype: 'int32',
  },
];

/** The case's slice of `x` on the current backend. */
function sliceOf(c: Case, x: tf.Tensor): tf.Tensor {
  const [bm, em, elm, nam, sam] = c.masks ?? [0, 0, 0, 0, 0];
  return tf.stridedSlice(x, c.begin, c.end, c.strides, bm, em, elm, nam, sam);
}

/** The same slice on tfjs's CPU backend (its own implementation, valid at every rank): the reference. */
async function onCpu(
  c: Case,
  values: Float32Array | Int32Array,
): Promise<{ shape: number[]; values: number[] }> {
  await useBackend('cpu');
  const y = sliceOf(c, tf.tensor(values, c.shape, c.dtype));
  const out = { shape: y.shape, values: Array.from(y.dataSync()) };
  tf.dispose(y);
  return out;
}

describe.skipIf(!probe.usable)(
  `stridedSlice at rank 5 and 6 on webgpu (tfjs 4.22's shader is invalid there)${why}`,
  () => {
    it('a hand-computed case: x[:, 1:, :, :, ::2] of 0…239', async () => {
      await useBackend(plugin);
      const x = tf.reshape(tf.range(0, 240), [2, 3, 4, 5, 2]);
      const y = tf.stridedSlice(x, [0, 1, 0, 0, 0], [2, 3, 4, 5, 2], [1, 1, 1, 1, 2]);
      expect(y.shape).toEqual([2, 2, 4, 5, 1]);
      const v = await y.data();
      // x[a][b][c][d][0] = 120a + 40b + 10c + 2d; the first row is b = 1.
      expect(Array.from(v.slice(0, 6))).toEqual([40, 42, 44, 46, 48, 50]);
      expect(v[v.length - 1]).toBe(120 + 80 + 30 + 8);
      tf.dispose([x, y]);
    });

    for (const c of cases) {
      it(`${c.name} (rank ${c.shape.length}) equals the CPU backend, freeing every intermediate`, async () => {
        const n = c.shape.reduce((a, b) => a * b, 1);
        const values =
          c.dtype === 'int32'
            ? Int32Array.from({ length: n }, (_, i) => i - 7)
            : Float32Array.from({ length: n }, (_, i) => i * 0.5 + 1);
        const ref = await onCpu(c, values);
        await useBackend(plugin);
        const backend = tf.backend();
        const tensors = tf.memory().numTensors;
        const ids = backend.numDataIds();
        const x = tf.tensor(values, c.shape, c.dtype);
        const y = sliceOf(c, x);
        expect(y.shape).toEqual(ref.shape);
        expect(y.dtype).toBe(c.dtype ?? 'float32');
        expect(Array.from(await y.data())).toEqual(ref.values);
        tf.dispose([x, y]);
        expect(tf.memory().numTensors).toBe(tensors);
        expect(backend.numDataIds()).toBe(ids);
      });
    }
  },
);
