import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from './errors.js';
import { ImageFolder } from './imageFolder.js';

const dir = mkdtempSync(join(tmpdir(), 'nutshell-images-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a w×h PNG whose pixel p has grey (or RGB) values from `value(p)`. */
function png(
  path: string,
  w: number,
  h: number,
  channels: 1 | 3,
  value: (p: number, ch: number) => number,
): void {
  const data = new Uint8Array(w * h * channels);
  for (let p = 0; p < w * h; p++) for (let c = 0; c < channels; c++) data[p * channels + c] = value(p, c);
  writeFileSync(path, encode({ width: w, height: h, data, channels, depth: 8 }));
}

describe('ImageFolder: PNGs labelled by sub-folder, read batch by batch', () => {
  mkdirSync(join(dir, 'ok', 'circle'), { recursive: true });
  mkdirSync(join(dir, 'ok', 'square'), { recursive: true });
  png(join(dir, 'ok', 'square', 'a.png'), 3, 2, 1, (p) => p * 51); // 0, 51, …, 255
  png(join(dir, 'ok', 'circle', 'b.png'), 3, 2, 3, (p, c) => (c === 0 ? 255 : 0)); // pure red
  png(join(dir, 'ok', 'circle', 'a.png'), 3, 2, 1, () => 255);
  writeFileSync(join(dir, 'ok', 'circle', 'notes.txt'), 'not an image');

  it('labels by sorted sub-folder, orders files by name, scales pixels to [0, 1], grey by luminance', async () => {
    const folder = await ImageFolder.open(join(dir, 'ok'));
    expect(folder.classNames).toEqual(['circle', 'square']);
    expect(folder.files.map((f) => [f.path.slice(dir.length + 4), f.label])).toEqual([
      ['circle/a.png', 0],
      ['circle/b.png', 0],
      ['square/a.png', 1],
    ]);
    expect(folder.sampleShape).toEqual([2, 3, 1]);
    const { x, y } = await folder.gather([2, 1, 0]);
    expect(x.shape).toEqual([3, 2, 3, 1]);
    const v = await x.data();
    expect(Array.from(v.subarray(0, 6))).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1].map((e) => Math.fround(e)));
    for (const p of v.subarray(6, 12)) expect(p).toBeCloseTo(0.299, 6); // red's luminance
    expect(Array.from(v.subarray(12))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(await y.data())).toEqual([1, 0, 0]);
    x.dispose();
    y.dispose();

    const rgb = await ImageFolder.open(join(dir, 'ok'), { channels: 3, classNames: ['square', 'circle'] });
    const b = await rgb.gather([2]); // square/a, circle/a, circle/b: the red one
    expect(b.x.shape).toEqual([1, 2, 3, 3]);
    expect(Array.from((await b.x.data()).subarray(0, 3))).toEqual([1, 0, 0]);
    expect(Array.from(await b.y.data())).toEqual([1]);
    b.x.dispose();
    b.y.dispose();
  });

  it('names the folder or file at fault', async () => {
    await expect(ImageFolder.open(join(dir, 'absent'))).rejects.toThrow(DataFileError);
    await expect(ImageFolder.open(join(dir, 'ok'), { classNames: ['circle', 'star'] })).rejects.toThrow(
      `${join(dir, 'ok')}: has no sub-folder 'star' (it has: circle, square).`,
    );
    mkdirSync(join(dir, 'mixed', 'a'), { recursive: true });
    png(join(dir, 'mixed', 'a', '1.png'), 2, 2, 1, () => 0);
    png(join(dir, 'mixed', 'a', '2.png'), 3, 2, 1, () => 0);
    writeFileSync(join(dir, 'mixed', 'a', '3.png'), 'garbage');
    const mixed = await ImageFolder.open(join(dir, 'mixed'));
    await expect(mixed.gather([1])).rejects.toThrow(
      `${join(dir, 'mixed', 'a', '2.png')}: is 3×2, but the folder's images are 2×2 (the size of the first); resize it.`,
    );
    await expect(mixed.gather([2])).rejects.toThrow(
      `${join(dir, 'mixed', 'a', '3.png')}: is not a readable PNG`,
    );
    mkdirSync(join(dir, 'empty', 'a'), { recursive: true });
    await expect(ImageFolder.open(join(dir, 'empty'))).rejects.toThrow(
      'holds no .png image in a class sub-folder',
    );
  });
});
