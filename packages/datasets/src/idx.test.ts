import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx, readIdx, readIdxScaled } from './idx.js';
import { DataFileError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nutshell-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('IDX', () => {
  it('reads a hand-written ubyte file: magic, dims, values', () => {
    // magic 00 00 08 02, dims 2 × 3, values 1..6
    const bytes = Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    const a = readIdx(write('small.idx', bytes));
    expect(a.dtype).toBe('ubyte');
    expect(a.dims).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('decodes big-endian int and float values written by hand', () => {
    // int32 0x00000102 = 258 and 0xFFFFFFFF = -1; float32 0x3FC00000 = 1.5
    const ints = Uint8Array.from([0, 0, 0x0c, 1, 0, 0, 0, 2, 0, 0, 1, 2, 0xff, 0xff, 0xff, 0xff]);
    expect(Array.from(parseIdx(ints).data)).toEqual([258, -1]);
    const floats = Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]);
    expect(Array.from(parseIdx(floats).data)).toEqual([1.5]);
  });

  it('round-trips every element type through encodeIdx', () => {
    const cases = [
      { dtype: 'ubyte', data: Uint8Array.from([0, 255, 7, 9]) },
      { dtype: 'sbyte', data: Int8Array.from([-128, 127, -1, 0]) },
      { dtype: 'short', data: Int16Array.from([-32768, 32767, -2, 300]) },
      { dtype: 'int', data: Int32Array.from([-(2 ** 31), 2 ** 31 - 1, -5, 70000]) },
      { dtype: 'float', data: Float32Array.from([1.5, -0.25, 3e30, 0]) },
      { dtype: 'double', data: Float64Array.from([Math.PI, -1e-300, 2, 0]) },
    ] as const;
    for (const c of cases) {
      const back = readIdx(
        write(`rt-${c.dtype}.idx`, encodeIdx({ dtype: c.dtype, dims: [2, 2], data: c.data })),
      );
      expect(back.dtype).toBe(c.dtype);
      expect(back.dims).toEqual([2, 2]);
      expect(Array.from(back.data)).toEqual(Array.from(c.data));
    }
  });

  it('reads only the first rows with limit, and gunzips .gz files', () => {
    const data = Uint8Array.from({ length: 5 * 4 }, (_, i) => i);
    const bytes = encodeIdx({ dtype: 'ubyte', dims: [5, 2, 2], data });
    const a = readIdx(write('limit.idx', bytes), { limit: 2 });
    expect(a.dims).toEqual([2, 2, 2]);
    expect(Array.from(a.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const gz = readIdx(write('limit.idx.gz', gzipSync(bytes)), { limit: 1 });
    expect(Array.from(gz.data)).toEqual([0, 1, 2, 3]);
  });

  it('refuses a truncated file, naming the file, the declared shape and the sizes', () => {
    const full = encodeIdx({ dtype: 'ubyte', dims: [10, 28, 28], data: new Uint8Array(7840) });
    const path = write('truncated-idx3-ubyte', full.subarray(0, 1000));
    expect(() => readIdx(path)).toThrow(DataFileError);
    expect(() => readIdx(path)).toThrow(
      `${path}: truncated: header declares ubyte [10, 28, 28], which needs 7856 bytes, but the file has only 1000 bytes.`,
    );
    // Even with a limit that would fit, the header must agree with the file size.
    expect(() => readIdx(path, { limit: 1 })).toThrow(/truncated/);
  });

  it('refuses a truncated header, extra bytes, a bad magic number and an unknown type', () => {
    const header = write('header-only', Uint8Array.from([0, 0, 8, 3, 0, 0]));
    expect(() => readIdx(header)).toThrow(
      `${header}: truncated header: 3 dimensions need 16 header bytes, but the file has 6 bytes.`,
    );
    const extra = write('extra', Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3]));
    expect(() => readIdx(extra)).toThrow(/malformed: header declares ubyte \[2\].*11 bytes \(1 extra\)/);
    const magic = write('not-idx.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    expect(() => readIdx(magic)).toThrow(
      /not-idx.png: not an IDX file: the magic number must start with two zero bytes, got 0x89 0x50/,
    );
    const gz = write('packed-but-unnamed', gzipSync(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 0])));
    expect(() => readIdx(gz)).toThrow(/gzip-compressed/);
    const type = write('bad-type', Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 0]));
    expect(() => readIdx(type)).toThrow(/unknown IDX element type 0x0a/);
    const tiny = write('tiny', Uint8Array.from([0, 0]));
    expect(() => readIdx(tiny)).toThrow(/shorter than the 4-byte magic number/);
    expect(() => readIdx(join(dir, 'absent'))).toThrow(`${join(dir, 'absent')}: no such file.`);
  });

  it('names in-memory bytes by the source given', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 9]), 'upload.idx')).toThrow(
      /^upload.idx: truncated/,
    );
  });
});

describe('readIdxScaled', () => {
  // 3 × 300 × 250 bytes: 225,000 values, over three 64 KB chunks and a partial one.
  const dims = [3, 300, 250];
  const bytes = Uint8Array.from({ length: 3 * 300 * 250 }, (_, i) => (i * 7 + (i >> 9)) % 256);
  const file = encodeIdx({ dtype: 'ubyte', dims, data: bytes });

  it('gives byte / divisor for every value, across chunks, as readIdx and a division give', () => {
    const path = write('scaled.idx', file);
    const r = readIdxScaled(path, 255);
    expect(r.dtype).toBe('ubyte');
    expect(r.dims).toEqual(dims);
    const expected = Float32Array.from(readIdx(path).data as Uint8Array, (b) => b / 255);
    expect(r.data).toEqual(expected);
    expect(r.data![70001]).toBe(Math.fround(bytes[70001] / 255));
  });

  it('reads only the first rows with limit, and a .gz file the same', () => {
    const path = write('scaled-limit.idx', file);
    const first = readIdxScaled(path, 255, { limit: 2 });
    expect(first.dims).toEqual([2, 300, 250]);
    expect(first.data).toEqual(Float32Array.from(bytes.subarray(0, 2 * 300 * 250), (b) => b / 255));
    const gz = readIdxScaled(write('scaled.idx.gz', gzipSync(file)), 255, { limit: 2 });
    expect(gz.data).toEqual(first.data);
  });

  it('gives the dtype and dims but no values for a file of another element type', () => {
    const path = write(
      'scaled-int.idx',
      encodeIdx({ dtype: 'int', dims: [2], data: Int32Array.from([1, 2]) }),
    );
    expect(readIdxScaled(path, 255)).toEqual({ dtype: 'int', dims: [2] });
  });

  it('refuses a truncated file with the same DataFileError as readIdx', () => {
    const path = write('scaled-cut.idx', file.subarray(0, 1000));
    expect(() => readIdxScaled(path, 255)).toThrow(DataFileError);
    expect(() => readIdxScaled(path, 255)).toThrow(/truncated/);
    expect(() => readIdxScaled(join(dir, 'missing.idx'), 255)).toThrow(/no such file/);
  });
});
