import { describe, expect, it } from 'vitest';
import { crc32cBitwise, readRecords } from './test-utils/eventFileReader.js';
import { histogram } from './histogram.js';
import { maskedCrc32c, tfrecord } from './tfrecord.js';

describe('TFRecord framing', () => {
  it('CRC-32C check value: "123456789" → 0xE3069283 (RFC 3720), both implementations', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32cBitwise(bytes)).toBe(0xe3069283);
    const c = 0xe3069283;
    expect(maskedCrc32c(bytes)).toBe((((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0);
  });

  it('frames records that an independent reader splits back; a flipped bit is caught by a CRC', () => {
    const a = tfrecord(new Uint8Array([1, 2, 3]));
    const b = tfrecord(new Uint8Array(300).map((_, i) => i & 0xff));
    expect(a.length).toBe(8 + 4 + 3 + 4);
    const file = new Uint8Array([...a, ...b]);
    const records = readRecords(file);
    expect(records.map((r) => [...r])).toEqual([[1, 2, 3], Array.from({ length: 300 }, (_, i) => i & 0xff)]);
    const corrupt = file.slice();
    corrupt[a.length + 12 + 100] ^= 4;
    expect(() => readRecords(corrupt)).toThrow(`bad data CRC at byte ${a.length}`);
    const badLength = file.slice();
    badLength[0] ^= 1;
    expect(() => readRecords(badLength)).toThrow('bad length CRC at byte 0');
  });
});

describe('histogram', () => {
  it('equal-width buckets between min and max, with count, sum and sum of squares', () => {
    expect(histogram([0, 1, 2, 3, 3], 2)).toEqual({
      min: 0,
      max: 3,
      num: 5,
      sum: 9,
      sumSquares: 23,
      bucketLimit: [1.5, 3],
      bucket: [2, 3],
    });
    expect(histogram([2, 2, 2], 30)).toEqual({
      min: 2,
      max: 2,
      num: 3,
      sum: 6,
      sumSquares: 12,
      bucketLimit: [2],
      bucket: [3],
    });
  });
  it('refuses NaN and infinities', () => {
    expect(() => histogram([1, NaN])).toThrow(
      'histogram: value 1 is NaN; only finite values can be counted.',
    );
  });
});
