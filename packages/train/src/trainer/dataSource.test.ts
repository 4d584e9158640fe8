import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/tensor';
import { DataError } from '../errors.js';
import { checkData } from './dataSource.js';
import type { DataSource } from './dataSource.js';

/** A source with no values(): checkData must gather it chunk by chunk. Counts the feature reads. */
function gatheredSource(xv: Float32Array | Int32Array, yv: Int32Array, per: number) {
  const reads = { x: 0 };
  const source: DataSource = {
    size: yv.length,
    gather(idx) {
      const rows = Array.from(idx);
      const x = tf.tensor2d(
        rows.flatMap((r) => Array.from(xv.subarray(r * per, r * per + per))),
        [rows.length, per],
        xv instanceof Int32Array ? 'int32' : 'float32',
      );
      const data = x.data.bind(x);
      x.data = (() => {
        reads.x++;
        return data();
      }) as typeof x.data;
      return {
        x,
        y: tf.tensor1d(
          rows.map((r) => yv[r]),
          'int32',
        ),
      };
    },
  };
  return { source, reads };
}

const spec = { outputSize: 3, sparse: true, binary: false };

describe('checkData on a source without values()', () => {
  it.each([
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('names the row and feature of %s in a later chunk, and leaks nothing', async (bad, shown) => {
    const xv = Float32Array.from({ length: 50 * 4 }, (_, i) => (i % 9) - 4);
    xv[37 * 4 + 3] = bad;
    const { source, reads } = gatheredSource(
      xv,
      Int32Array.from({ length: 50 }, (_, i) => i % 3),
      4,
    );
    const before = tf.memory().numTensors;
    const err = await checkData(source, spec, 'fit', 16).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe(
      `fit: x[37] contains ${shown} (at feature 3); remove or impute the row before training.`,
    );
    expect((err as DataError).row).toBe(37);
    expect(reads.x).toBe(1); // only the failing chunk's features were read back
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads no features back when they are all finite, and still checks every label', async () => {
    const xv = Float32Array.from({ length: 50 * 4 }, (_, i) => i / 7);
    const yv = Int32Array.from({ length: 50 }, (_, i) => i % 3);
    yv[41] = 3;
    const { source, reads } = gatheredSource(xv, yv, 4);
    const before = tf.memory().numTensors;
    await expect(checkData(source, spec, 'fit', 16)).rejects.toThrow(
      'fit: label 3 at row 41 is outside the classes [0, 3) the model predicts (3 outputs).',
    );
    expect(reads.x).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    yv[41] = 2;
    await expect(checkData(source, spec, 'fit', 16)).resolves.toBeUndefined();
    expect(reads.x).toBe(0);
  });

  it('accepts integer features without testing them', async () => {
    const xv = Int32Array.from({ length: 20 * 2 }, (_, i) => i - 20);
    const { source, reads } = gatheredSource(
      xv,
      Int32Array.from({ length: 20 }, (_, i) => i % 3),
      2,
    );
    await expect(checkData(source, spec, 'fit', 8)).resolves.toBeUndefined();
    expect(reads.x).toBe(0);
  });
});
