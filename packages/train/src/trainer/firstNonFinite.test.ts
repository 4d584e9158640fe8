import { describe, expect, it } from 'vitest';
import { firstNonFinite } from './firstNonFinite.js';

/** The reference: the first index whose value is not finite, by Number.isFinite. */
const reference = (v: ArrayLike<number>) => Array.from(v).findIndex((x) => !Number.isFinite(x));

describe('firstNonFinite', () => {
  it('agrees with Number.isFinite on random float32 bit patterns (every exponent, NaN payloads, ±0, subnormals)', () => {
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + (next() % 9000);
      const bits = new Uint32Array(n);
      // Mostly finite values; now and then a value with an all-ones exponent.
      for (let i = 0; i < n; i++) bits[i] = next() % 4000 === 0 ? next() | 0x7f800000 : next() & 0xbf7fffff;
      const values = new Float32Array(bits.buffer);
      expect(firstNonFinite(values)).toBe(reference(values));
    }
  });

  it.each([
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('finds %s at every position around the block edges, and the first of two', (bad) => {
    const n = 4096 * 2 + 7;
    for (const at of [0, 1, 3, 4, 4095, 4096, 4097, 8191, 8192, n - 1]) {
      const v = new Float32Array(n).fill(3.3e38);
      v[at] = bad;
      expect(firstNonFinite(v)).toBe(at);
      if (at + 5 < n) v[at + 5] = NaN;
      expect(firstNonFinite(v)).toBe(at);
    }
  });

  it('accepts the largest, smallest and subnormal float32 values', () => {
    const v = Float32Array.of(3.4028234663852886e38, -3.4028234663852886e38, 1.4e-45, -1.4e-45, -0, 0, 1);
    expect(firstNonFinite(v)).toBe(-1);
  });

  it('reads a subarray from its own start (a view at a byte offset)', () => {
    const all = new Float32Array(100);
    all[10] = NaN;
    all[60] = Infinity;
    expect(firstNonFinite(all.subarray(11))).toBe(49);
    expect(firstNonFinite(all.subarray(11, 60))).toBe(-1);
  });

  it('checks float64 arrays and plain arrays value by value, and skips integer arrays', () => {
    expect(firstNonFinite(Float64Array.of(1, 2, 1e308 * 10))).toBe(2);
    expect(firstNonFinite([0, -1, NaN, Infinity])).toBe(2);
    expect(firstNonFinite([0, 1e300])).toBe(-1);
    expect(firstNonFinite(Int32Array.of(-1, 2 ** 31 - 1))).toBe(-1);
    expect(firstNonFinite(Uint8Array.of(255))).toBe(-1);
  });
});
