import { describe, expect, it } from 'vitest';
import { ShapeError, numTensors } from '@nutshell/tensor';
import { DatasetError } from './errors.js';
import { SampleSource } from './sampleSource.js';

describe('SampleSource: samples made on demand', () => {
  it('gathers an async generator’s samples into a batch, in index order, at most `concurrency` at a time', async () => {
    let running = 0;
    let most = 0;
    const src = new SampleSource({
      size: 100,
      sampleShape: [2],
      target: 'values',
      concurrency: 3,
      sample: async (i) => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, (i * 7) % 5));
        running--;
        return { x: [i, -i], y: i * i };
      },
    });
    const { x, y } = await src.gather([5, 1, 9, 2, 7]);
    expect(x.shape).toEqual([5, 2]);
    expect(Array.from(await x.data())).toEqual([5, -5, 1, -1, 9, -9, 2, -2, 7, -7]);
    expect(y.shape).toEqual([5, 1]);
    expect(Array.from(await y.data())).toEqual([25, 1, 81, 4, 49]);
    expect(most).toBe(3);
    x.dispose();
    y.dispose();
  });

  it('encodes class targets as sparse, one-hot or binary', async () => {
    const make = (target: 'sparse' | 'oneHot' | 'binary') =>
      new SampleSource({
        size: 3,
        sampleShape: [1],
        target,
        numClasses: 3,
        sample: (i) => ({ x: [i], y: i % 2 }),
      });
    const sparse = await make('sparse').gather([0, 1, 2]);
    expect([sparse.y.dtype, Array.from(await sparse.y.data())]).toEqual(['int32', [0, 1, 0]]);
    const hot = await make('oneHot').gather([1]);
    expect([hot.y.shape, Array.from(await hot.y.data())]).toEqual([
      [1, 3],
      [0, 1, 0],
    ]);
    const bin = await make('binary').gather([0, 1]);
    expect([bin.y.shape, Array.from(await bin.y.data())]).toEqual([
      [2, 1],
      [0, 1],
    ]);
    for (const b of [sparse, hot, bin]) {
      b.x.dispose();
      b.y.dispose();
    }
  });

  it('names the bad sample: wrong length, label out of range, NaN target, index outside; nothing leaks', async () => {
    const before = numTensors();
    const src = new SampleSource({
      size: 4,
      sampleShape: [2],
      numClasses: 2,
      sample: (i) =>
        [
          { x: [0, 0], y: 0 },
          { x: [1], y: 0 },
          { x: [0, 0], y: 2 },
          { x: [0, 0], y: NaN },
        ][i],
    });
    await expect(src.gather([0, 1])).rejects.toThrow(ShapeError);
    await expect(src.gather([1])).rejects.toThrow('SampleSource: sample 1');
    await expect(src.gather([2])).rejects.toThrow(
      'SampleSource: sample 2 has label 2, not a class index in [0, 2).',
    );
    await expect(src.gather([3])).rejects.toThrow(
      'SampleSource: sample 3 has target NaN; targets must be finite numbers.',
    );
    await expect(src.gather([4])).rejects.toThrow(
      new DatasetError('SampleSource.gather: index 4 at position 0 is outside [0, 4).'),
    );
    expect(numTensors()).toBe(before);
    expect(
      () =>
        new SampleSource({ size: 2, sampleShape: [1], target: 'oneHot', sample: () => ({ x: [0], y: 0 }) }),
    ).toThrow("SampleSource: target 'oneHot' needs numClasses.");
  });
});
