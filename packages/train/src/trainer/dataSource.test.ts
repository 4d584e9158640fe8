import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/tensor';
import { DataError } from '../errors.js';
import { checkData, toSource } from './dataSource.js';
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

describe('batches of { x, y } tensors', () => {
  const x = tf.tensor2d(
    Float32Array.from({ length: 40 }, (_, i) => i),
    [10, 4],
  );
  const y = tf.tensor1d(
    Int32Array.from({ length: 10 }, (_, i) => i % 3),
    'int32',
  );
  const expectRows = (b: { x: tf.Tensor; y: tf.Tensor }, rows: number[]) => {
    expect(Array.from(b.x.dataSync())).toEqual(rows.flatMap((r) => [0, 1, 2, 3].map((c) => r * 4 + c)));
    expect(Array.from(b.y.dataSync())).toEqual(rows.map((r) => r % 3));
  };
  /** Gathers three batches and checks each keeps its rows after the later ones are gathered. */
  const threeBatches = async () => {
    const source = toSource({ x, y }, 'test');
    await source.prepare?.();
    const a = (await source.gather([3, 1, 4])) as { x: tf.Tensor; y: tf.Tensor };
    const b = (await source.gather([9, 2, 6])) as { x: tf.Tensor; y: tf.Tensor };
    const c = (await source.gather([5, 0])) as { x: tf.Tensor; y: tf.Tensor };
    expectRows(a, [3, 1, 4]);
    expectRows(b, [9, 2, 6]);
    expectRows(c, [5, 0]);
    tf.dispose([a.x, a.y, b.x, b.y, c.x, c.y]);
  };

  it('every batch keeps its own rows', threeBatches);
});

describe('checkData on a source with values() (every value in memory)', () => {
  /** A source whose values() hands the arrays over; gather must not be needed. */
  const inMemory = (x: ArrayLike<number>, y: ArrayLike<number>, size: number): DataSource => ({
    size,
    gather() {
      throw new Error('checkData gathered rows although values() gave them');
    },
    values: () => ({ x, y }),
  });

  it.each([
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('names the row and feature of %s among 6,000 rows of 7 features', async (bad, shown) => {
    const x = Float32Array.from({ length: 6000 * 7 }, (_, i) => (i % 13) - 6);
    x[4321 * 7 + 5] = bad;
    x[5000 * 7] = NaN; // a later one is not the one named
    const err = await checkData(inMemory(x, new Int32Array(6000), 6000), spec, 'fit').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe(
      `fit: x[4321] contains ${shown} (at feature 5); remove or impute the row before training.`,
    );
    expect((err as DataError).row).toBe(4321);
  });

  it('names the first bad label, whether it is out of range or not finite', async () => {
    const x = new Float32Array(100 * 2);
    const y = Float32Array.from({ length: 100 }, (_, i) => i % 3);
    y[70] = NaN;
    y[40] = 3;
    await expect(checkData(inMemory(x, y, 100), spec, 'fit')).rejects.toThrow(
      'fit: label 3 at row 40 is outside the classes [0, 3) the model predicts (3 outputs).',
    );
    y[40] = 1.5;
    await expect(checkData(inMemory(x, y, 100), spec, 'fit')).rejects.toThrow('fit: label 1.5 at row 40');
    y[40] = 2;
    y[80] = -1;
    const err = await checkData(inMemory(x, y, 100), spec, 'fit').catch((e: unknown) => e);
    expect((err as DataError).message).toBe('fit: y[70] is NaN; labels must be finite numbers.');
    expect((err as DataError).row).toBe(70);
  });

  it('names the row of an infinite one-hot target, and of a binary label outside [0, 1]', async () => {
    const x = new Float32Array(50 * 3);
    const hot = new Float32Array(50 * 3);
    for (let r = 0; r < 50; r++) hot[r * 3 + (r % 3)] = 1;
    await expect(checkData(inMemory(x, hot, 50), { ...spec, sparse: false }, 'fit')).resolves.toBeUndefined();
    hot[33 * 3 + 2] = -Infinity;
    const err = await checkData(inMemory(x, hot, 50), { ...spec, sparse: false }, 'fit').catch(
      (e: unknown) => e,
    );
    expect((err as DataError).message).toBe('fit: y[33] is -Infinity; labels must be finite numbers.');
    const binary = Float32Array.from({ length: 50 }, (_, i) => i % 2);
    binary[12] = 2;
    const err2 = await checkData(
      inMemory(new Float32Array(50), binary, 50),
      { outputSize: 1, sparse: false, binary: true },
      'fit',
    ).catch((e: unknown) => e);
    expect((err2 as DataError).message).toBe(
      'fit: label 2 at row 12 is outside [0, 1], which a binary loss needs.',
    );
    expect((err2 as DataError).row).toBe(12);
  });
});

describe('checkData on values known finite (an ArrayDataset of a data set checked when made)', () => {
  /**
   * A source like `ArrayDataset.values()` of a checked data set: `finite` set, and one-hot targets built only when
   * read (counted). A NaN is planted in the features: a check that scanned them would refuse it.
   */
  function knownFinite(y: () => ArrayLike<number>, size: number, finite: boolean | undefined) {
    const x = new Float32Array(size * 4);
    x[7 * 4 + 1] = NaN;
    const reads = { y: 0 };
    const source: DataSource = {
      size,
      gather() {
        throw new Error('checkData gathered rows although values() gave them');
      },
      values: () => ({
        x,
        get y() {
          reads.y++;
          return y();
        },
        ...(finite === undefined ? {} : { finite }),
      }),
    };
    return { source, reads };
  }
  const oneHot = (labels: ArrayLike<number>, k: number) => {
    const hot = new Float32Array(labels.length * k);
    for (let r = 0; r < labels.length; r++) hot[r * k + labels[r]] = 1;
    return hot;
  };

  it('scans neither the features nor the targets when no check depends on the model (one-hot targets)', async () => {
    const { source, reads } = knownFinite(
      () =>
        oneHot(
          Int32Array.from({ length: 20 }, (_, i) => i % 3),
          3,
        ),
      20,
      true,
    );
    await expect(checkData(source, { ...spec, sparse: false }, 'fit')).resolves.toBeUndefined();
    expect(reads.y).toBe(0); // the one-hot copy was never asked for
  });

  it.each([undefined, false])('still refuses a NaN, naming the row, when finite is %s', async (finite) => {
    const { source } = knownFinite(() => new Int32Array(20), 20, finite);
    const err = await checkData(source, spec, 'fit').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe(
      'fit: x[7] contains NaN (at feature 1); remove or impute the row before training.',
    );
    expect((err as DataError).row).toBe(7);
  });

  it('still refuses class indices outside the model outputs, and a binary label outside [0, 1]', async () => {
    // Labels of a 5-class data set (valid for it) given to a model with 3 outputs.
    const labels = Int32Array.from({ length: 20 }, (_, i) => (i === 13 ? 4 : i % 3));
    const { source, reads } = knownFinite(() => labels, 20, true);
    const err = await checkData(source, spec, 'fit').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe(
      'fit: label 4 at row 13 is outside the classes [0, 3) the model predicts (3 outputs).',
    );
    expect((err as DataError).row).toBe(13);
    expect(reads.y).toBe(1);
    const binary = knownFinite(
      () => Int32Array.from({ length: 20 }, (_, i) => (i === 9 ? 2 : i % 2)),
      20,
      true,
    );
    await expect(
      checkData(binary.source, { outputSize: 1, sparse: false, binary: true }, 'fit'),
    ).rejects.toThrow('fit: label 2 at row 9 is outside [0, 1], which a binary loss needs.');
  });
});
