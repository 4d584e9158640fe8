import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numTensors, read, tf } from '@nutshell/tensor';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { edgeMaps, main } from './edge-detection.js';

describe('edge detection example', () => {
  it('Sobel responds to a synthetic edge and not to a flat image', async () => {
    // A dark left half and a bright right half: the edge lies between columns 9 and 10.
    const step = tf.tensor2d(
      Array.from({ length: 400 }, (_, i) => (i % 20 >= 10 ? 1 : 0)),
      [20, 20],
    );
    const flat = tf.fill([20, 20], 0.5);
    const s = edgeMaps(step);
    const f = edgeMaps(flat);
    const sobel = await read(s.sobel);
    for (const r of [0, 10, 19]) {
      const row = Array.from(sobel.slice(r * 20, r * 20 + 20));
      expect(row[9]).toBe(4);
      expect(row[10]).toBe(4);
      expect(row.filter((_, j) => j !== 9 && j !== 10).every((v) => v === 0)).toBe(true);
    }
    const sy = await read(s['sobel-y']);
    expect(Math.max(...Array.from(sy, Math.abs))).toBe(0); // no horizontal edge anywhere
    const flatSobel = await read(f.sobel);
    expect(s.sobel.shape).toEqual([20, 20]); // the mirrored border keeps the image's size
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) expect(flatSobel[i * 20 + j]).toBeCloseTo(0, 6); // borders too
    tf.dispose([step, flat, ...Object.values(s), ...Object.values(f)]);
  });

  it('writes the input and edge maps of the photograph as PNGs with content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edges-'));
    const before = numTensors();
    const lines: string[] = [];
    const r = await main(dir, (l) => lines.push(l));
    expect(numTensors()).toBe(before);
    expect(r.width).toBe(451);
    expect(r.height).toBe(300);
    expect(r.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(
      ['blur', 'input', 'input-grey', 'laplacian', 'scharr-after-gaussian', 'sobel', 'sobel-x', 'sobel-y']
        .map((n) => `${n}.png`)
        .sort(),
    );
    const png = decode(await readFile(join(dir, 'sobel.png')));
    expect([png.width, png.height, png.channels]).toEqual([451, 300, 1]);
    // Content: a photo's edge map is mostly dark with bright edges, so many distinct grey levels and both extremes.
    const levels = new Set(png.data);
    expect(levels.size).toBeGreaterThan(100);
    const bright = Array.from(png.data).filter((v) => v > 200).length / png.data.length;
    expect(bright).toBeGreaterThan(0.002);
    expect(bright).toBeLessThan(0.2);
    expect(r.stats.sobel.mean).toBeGreaterThan(0.02);
    expect(r.fftError).toBeLessThan(1e-4);
    expect(r.flipSum).toBeLessThan(1e-6);
    expect(lines.join('\n')).toMatch(/wrote 8 PNGs/);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});
