import { afterAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { createWebgpuBackend } from '../index.js';

const plugin = createWebgpuBackend({ cpuForward: false });
const probe = await plugin.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

/** Constant padding of a row-major array, computed on the host: the reference. */
function padReference(
  values: Float32Array,
  shape: number[],
  paddings: [number, number][],
  c: number,
): { out: Float32Array; shape: number[] } {
  const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = new Float32Array(outShape.reduce((a, b) => a * b, 1)).fill(c);
  const index = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < values.length; flat++) {
    let rest = flat;
    for (let a = shape.length - 1; a >= 0; a--) {
      index[a] = rest % shape[a];
      rest = Math.floor(rest / shape[a]);
    }
    let o = 0;
    for (let a = 0; a < shape.length; a++) o = o * outShape[a] + index[a] + paddings[a][0];
    out[o] = values[flat];
  }
  return { out, shape: outShape };
}

afterAll(async () => {
  await useBackend('cpu');
});

describe.skipIf(!probe.usable)(
  `pad at rank 5 and 6 on webgpu (tfjs 4.22's shader is invalid there)${why}`,
  () => {
    const cases: { shape: number[]; paddings: [number, number][]; c: number }[] = [
      {
        shape: [2, 3, 2, 2, 2],
        paddings: [
          [0, 0],
          [1, 0],
          [0, 1],
          [0, 0],
          [1, 1],
        ],
        c: 0,
      },
      {
        shape: [1, 2, 3, 1, 2, 2],
        paddings: [
          [1, 0],
          [0, 2],
          [1, 1],
          [0, 0],
          [2, 0],
          [0, 1],
        ],
        c: -1.5,
      },
      {
        shape: [2, 1, 2, 1, 3],
        paddings: [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        c: 0,
      },
    ];
    for (const { shape, paddings, c } of cases) {
      it(`rank ${shape.length} ${JSON.stringify(paddings)} constant ${c} equals the host reference, gradient included`, async () => {
        await useBackend(plugin);
        const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1);
        const ref = padReference(values, shape, paddings, c);
        const before = tf.memory().numTensors;
        const x = tf.tensor(values, shape);
        const y = tf.pad(x, paddings, c);
        expect(y.shape).toEqual(ref.shape);
        expect(Array.from(await y.data())).toEqual(Array.from(ref.out));
        // The gradient of a pad is the slice of the upstream gradient: here all ones, so ones in x's shape.
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.pad(t, paddings, c)))(x);
        expect(Array.from(await g.data())).toEqual(new Array(values.length).fill(1));
        tf.dispose([x, y, g]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  },
);

/** Mirror padding computed on the host: each output coordinate reflects into its own axis. */
function mirrorReference(
  values: Float32Array,
  shape: number[],
  paddings: [number, number][],
  mode: 'reflect' | 'symmetric',
): Float32Array {
  const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const size = outShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const offset = mode === 'reflect' ? 0 : 1;
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    const coords = new Array<number>(outShape.length);
    for (let a = outShape.length - 1; a >= 0; a--) {
      coords[a] = rest % outShape[a];
      rest = Math.floor(rest / outShape[a]);
    }
    let src = 0;
    for (let a = 0; a < shape.length; a++) {
      let c = coords[a] - paddings[a][0];
      if (c < 0) c = -c - offset;
      else if (c >= shape[a]) c = 2 * (shape[a] - 1) - c + offset;
      src = src * shape[a] + c;
    }
    out[flat] = values[src];
  }
  return out;
}

describe.skipIf(!probe.usable)(
  `mirrorPad at rank 5 and 6 on webgpu (tfjs 4.22's shader is invalid there)${why}`,
  () => {
    const cases: { shape: number[]; paddings: [number, number][]; mode: 'reflect' | 'symmetric' }[] = [
      {
        shape: [2, 3, 3, 2, 3],
        paddings: [
          [0, 0],
          [1, 1],
          [0, 2],
          [0, 0],
          [2, 1],
        ],
        mode: 'reflect',
      },
      {
        shape: [1, 2, 3, 2, 2, 3],
        paddings: [
          [0, 1],
          [1, 0],
          [2, 0],
          [0, 0],
          [1, 1],
          [0, 2],
        ],
        mode: 'symmetric',
      },
    ];
    for (const { shape, paddings, mode } of cases) {
      it(`rank ${shape.length} ${mode} ${JSON.stringify(paddings)} equals the host reference`, async () => {
        await useBackend(plugin);
        const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1);
        const before = tf.memory().numTensors;
        const x = tf.tensor(values, shape);
        const y = tf.mirrorPad(x, paddings, mode);
        expect(Array.from(await y.data())).toEqual(
          Array.from(mirrorReference(values, shape, paddings, mode)),
        );
        tf.dispose([x, y]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  },
);
