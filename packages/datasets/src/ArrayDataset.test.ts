import { describe, expect, it } from 'vitest';
import { numTensors, tf } from '@nutshell/tensor';
import { ArrayDataset } from './ArrayDataset.js';
import { batchIndices } from './batches.js';
import { createDataset, subset } from './dataset.js';
import { DatasetError } from './errors.js';

const data = {
  x: Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31]),
  y: Int32Array.from([0, 1, 1, 0]),
  featureShape: [2],
};

describe('ArrayDataset', () => {
  it('gathers exactly the requested rows, in order, with sparse int32 labels', async () => {
    const ds = new ArrayDataset(data);
    expect(ds.size).toBe(4);
    const { x, y } = ds.gather([3, 1]);
    expect(x.shape).toEqual([2, 2]);
    expect(Array.from(await x.data())).toEqual([30, 31, 10, 11]);
    expect(y.dtype).toBe('int32');
    expect(Array.from(await y.data())).toEqual([0, 1]);
    x.dispose();
    y.dispose();
  });

  // Three batches gathered before any is read: each must keep its own rows (each batch's values are written into
  // a tensor of its own by fillTensor, whose wasm path @nutshell/backend-wasm tests).
  it('keeps each batch its own rows', async () => {
    const ds = new ArrayDataset(data);
    const batches = [[3, 1], [0, 2], [1]].map((rows) => ds.gather(rows));
    expect(await Promise.all(batches.map((b) => b.x.data().then((v) => Array.from(v))))).toEqual([
      [30, 31, 10, 11],
      [0, 1, 20, 21],
      [10, 11],
    ]);
    tf.dispose(batches.flatMap((b) => [b.x, b.y]));
  });

  it('makes one-hot and binary targets, and reshapes samples', async () => {
    const hot = new ArrayDataset(data, { target: 'oneHot', shape: [1, 2, 1] }).gather([1, 0]);
    expect(hot.x.shape).toEqual([2, 1, 2, 1]);
    expect(hot.y.shape).toEqual([2, 2]);
    expect(Array.from(await hot.y.data())).toEqual([0, 1, 1, 0]);
    const bin = new ArrayDataset(data, { target: 'binary' }).gather([1]);
    expect(bin.y.shape).toEqual([1, 1]);
    expect(bin.y.dtype).toBe('float32');
    [hot.x, hot.y, bin.x, bin.y].forEach((t) => t.dispose());
  });

  it.each(['sparse', 'binary', 'oneHot'] as const)(
    "values() holds what gathering every row gives ('%s' targets), with no tensor made",
    async (target) => {
      const ds = new ArrayDataset(data, { target });
      const before = numTensors();
      const v = ds.values();
      expect(numTensors()).toBe(before);
      expect(v.x).toBe(ds.data.x); // the data's own array, not a copy
      const all = ds.gather([0, 1, 2, 3]);
      expect(Array.from(v.x)).toEqual(Array.from(await all.x.data()));
      expect(Array.from(v.y)).toEqual(Array.from(await all.y.data()));
      all.x.dispose();
      all.y.dispose();
      // hand-computed: labels 0 1 1 0
      const expected = { sparse: [0, 1, 1, 0], binary: [0, 1, 1, 0], oneHot: [1, 0, 0, 1, 0, 1, 1, 0] };
      expect(Array.from(v.y)).toEqual(expected[target]);
    },
  );

  it('says its values are finite only for data checked when made, so the Trainer rescans anything else', () => {
    const checked = createDataset(data);
    expect(new ArrayDataset(checked).values().finite).toBe(true);
    expect(new ArrayDataset(data, { target: 'oneHot' }).values().finite).toBe(true); // plain arrays: checked here
    expect(new ArrayDataset(subset(checked, [2, 0])).values().finite).toBe(true); // rows copied from checked ones
    // A hand-made Dataset (or a checked one with another array put in) was never checked: a NaN in it must be seen.
    const x = data.x.slice();
    x[5] = NaN;
    const handMade = { x, y: data.y, n: 4, featureShape: [2], numClasses: 2 };
    for (const d of [handMade, { ...checked, x }, subset(handMade, [0, 2])]) {
      const v = new ArrayDataset(d).values();
      expect(v.finite).toBe(false);
      expect(v.x.some(Number.isNaN)).toBe(true);
    }
  });

  it('builds one-hot values() targets once, when first read', () => {
    const v = new ArrayDataset(createDataset({ ...data, numClasses: 3 }), { target: 'oneHot' }).values();
    const y = v.y;
    expect(Array.from(y)).toEqual([1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0]);
    expect(v.y).toBe(y);
  });

  it('streams a whole epoch of batches without leaking tensors', () => {
    const ds = new ArrayDataset(data);
    const before = numTensors();
    let seen = 0;
    for (const idx of batchIndices(ds.size, 3, { shuffle: true, seed: 3 })) {
      const { x, y } = ds.gather(idx);
      seen += x.shape[0];
      x.dispose();
      y.dispose();
    }
    expect(seen).toBe(4);
    expect(numTensors()).toBe(before);
  });

  it('refuses bad indices, a bad shape and bad data', () => {
    const ds = new ArrayDataset(data);
    expect(() => ds.gather([4])).toThrow('ArrayDataset.gather: index 4 at position 0 is outside [0, 4).');
    expect(() => new ArrayDataset(data, { shape: [3] })).toThrow(
      /ArrayDataset: expected shape a sample shape with 2 values, got \[3\]/,
    );
    expect(() => new ArrayDataset({ ...data, y: Int32Array.from([0, 1, 2]) })).toThrow(/different lengths/);
    expect(
      () => new ArrayDataset({ ...data, y: Int32Array.from([0, 1, 2, 0]) }, { target: 'binary' }),
    ).toThrow(DatasetError);
  });
});

describe('batchIndices', () => {
  it('covers every row once per pass, the last batch smaller', () => {
    const batches = [...batchIndices(10, 4)].map((b) => Array.from(b));
    expect(batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect([...batchIndices(10, 4, { dropRemainder: true })]).toHaveLength(2);
    const shuffled = [...batchIndices(10, 4, { shuffle: true, seed: 5 })].flatMap((b) => Array.from(b));
    expect([...shuffled].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shuffled).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const again = [...batchIndices(10, 4, { shuffle: true, seed: 5 })].flatMap((b) => Array.from(b));
    expect(again).toEqual(shuffled);
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => [...batchIndices(10, 0)]).toThrow(
      'batchIndices: batch size must be a positive integer, got 0.',
    );
    expect(() => [...batchIndices(10, -2)]).toThrow(DatasetError);
    expect(() => [...batchIndices(10, 1.5)]).toThrow(DatasetError);
  });
});
