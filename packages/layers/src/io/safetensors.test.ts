import { describe, expect, it } from 'vitest';
import { Rng } from '@nutshell/tensor';
import { SafetensorsError, decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from '../index.js';

// A second, minimal reader written from the published format (huggingface.co/docs/safetensors): 8 bytes
// little-endian u64 header size N, N bytes of JSON, then the raw little-endian data. It shares no code with
// decodeSafetensors.
function minimalRead(bytes: Uint8Array): { header: Record<string, any>; values: Record<string, number[]> } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'));
  const values: Record<string, number[]> = {};
  for (const [name, e] of Object.entries<any>(header)) {
    if (name === '__metadata__') continue;
    const [b, end] = e.data_offsets;
    const out: number[] = [];
    for (let at = 8 + n + b; at < 8 + n + end; ) {
      const width = { F32: 4, I32: 4, F64: 8, U8: 1 }[e.dtype as string];
      if (e.dtype === 'F32') out.push(dv.getFloat32(at, true));
      else if (e.dtype === 'I32') out.push(dv.getInt32(at, true));
      else if (e.dtype === 'F64') out.push(dv.getFloat64(at, true));
      else if (e.dtype === 'U8') out.push(dv.getUint8(at));
      else throw new Error(e.dtype);
      at += width!;
    }
    values[name] = out;
  }
  return { header, values };
}

const sample: Record<string, SafetensorsTensor> = {
  'dense_1/kernel': { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0.25, 1e-8, -7]) },
  'dense_1/bias': { dtype: 'F32', shape: [3], data: new Float32Array([0.1, 0.2, 0.3]) },
  steps: { dtype: 'I32', shape: [], data: new Int32Array([42]) },
  mask: { dtype: 'U8', shape: [4], data: new Uint8Array([1, 0, 255, 7]) },
  precise: { dtype: 'F64', shape: [1, 1], data: new Float64Array([Math.PI]) },
};

describe('encodeSafetensors', () => {
  it('writes the published layout: u64 LE header length, padded JSON, contiguous LE data', () => {
    const bytes = encodeSafetensors(sample, { note: 'hello' });
    const dv = new DataView(bytes.buffer);
    const n = Number(dv.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const { header, values } = minimalRead(bytes);
    expect(header.__metadata__).toEqual({ note: 'hello' });
    expect(header['dense_1/kernel']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(header['dense_1/bias']).toEqual({ dtype: 'F32', shape: [3], data_offsets: [24, 36] });
    expect(header.steps).toEqual({ dtype: 'I32', shape: [], data_offsets: [36, 40] });
    expect(bytes.length).toBe(8 + n + 24 + 12 + 4 + 4 + 8);
    expect(values['dense_1/kernel']).toEqual(Array.from(sample['dense_1/kernel'].data as Float32Array));
    expect(values.steps).toEqual([42]);
    expect(values.mask).toEqual([1, 0, 255, 7]);
    expect(values.precise).toEqual([Math.PI]);
  });

  it('refuses data that does not match its dtype or shape', () => {
    expect(() => encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: new Int32Array(2) } })).toThrow(/F32 but its data is a Int32Array/);
    expect(() => encodeSafetensors({ a: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(/shape \[3\] \(3 elements\) but 2 values/);
    expect(() => encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [], data: new Float32Array(1) } })).toThrow(SafetensorsError);
  });
});

describe('decodeSafetensors', () => {
  it('reads a file assembled by hand from the specification', () => {
    const json = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"format":"pt"}}';
    const head = new TextEncoder().encode(json);
    const bytes = new Uint8Array(8 + head.length + 8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(head.length), true);
    bytes.set(head, 8);
    new DataView(bytes.buffer).setFloat32(8 + head.length, 1.5, true);
    new DataView(bytes.buffer).setFloat32(8 + head.length + 4, -3, true);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.get('w')).toEqual({ dtype: 'F32', shape: [2], data: new Float32Array([1.5, -3]) });
  });

  it('round-trips every dtype, from an unaligned offset', () => {
    const all: Record<string, SafetensorsTensor> = {
      f64: { dtype: 'F64', shape: [2], data: new Float64Array([1e300, -0.5]) },
      f32: { dtype: 'F32', shape: [1], data: new Float32Array([3]) },
      f16: { dtype: 'F16', shape: [1], data: new Uint16Array([0x3c00]) },
      bf16: { dtype: 'BF16', shape: [1], data: new Uint16Array([0x3f80]) },
      i64: { dtype: 'I64', shape: [1], data: new BigInt64Array([-5n]) },
      i32: { dtype: 'I32', shape: [1], data: new Int32Array([-6]) },
      i16: { dtype: 'I16', shape: [1], data: new Int16Array([-7]) },
      i8: { dtype: 'I8', shape: [1], data: new Int8Array([-8]) },
      u64: { dtype: 'U64', shape: [1], data: new BigUint64Array([9n]) },
      u32: { dtype: 'U32', shape: [1], data: new Uint32Array([10]) },
      u16: { dtype: 'U16', shape: [1], data: new Uint16Array([11]) },
      u8: { dtype: 'U8', shape: [1], data: new Uint8Array([12]) },
      bool: { dtype: 'BOOL', shape: [2], data: new Uint8Array([1, 0]) },
      empty: { dtype: 'F32', shape: [0, 3], data: new Float32Array(0) },
    };
    const encoded = encodeSafetensors(all);
    const shifted = new Uint8Array(encoded.length + 1).subarray(1);
    shifted.set(encoded);
    const { tensors } = decodeSafetensors(shifted);
    for (const [k, v] of Object.entries(all)) expect(tensors.get(k)).toEqual({ dtype: v.dtype, shape: v.shape, data: v.data });
  });

  const good = () => encodeSafetensors(sample, { a: 'b' });
  const withHeader = (json: string, data = new Uint8Array(0), declared?: number) => {
    const head = new TextEncoder().encode(json);
    const bytes = new Uint8Array(8 + head.length + data.length);
    const dv = new DataView(bytes.buffer);
    dv.setBigUint64(0, BigInt(declared ?? head.length), true);
    bytes.set(head, 8);
    bytes.set(data, 8 + head.length);
    return bytes;
  };

  it.each([
    ['an empty file', new Uint8Array(0), /0 bytes, shorter than its 8-byte header length/],
    ['a header length of 2^40', withHeader('{}', undefined, 2 ** 40), /header length 1099511627776 exceeds the limit/],
    ['a header length past the end', withHeader('{}', undefined, 100), /runs past the end of the 10-byte file/],
    ['a header that is not JSON', withHeader('{"a":'), /not valid JSON/],
    ['a header that is an array', withHeader('[1, 2]'), /does not start with "\{"/],
    ['invalid UTF-8', (() => { const b = withHeader('{"a":1}'); b[10] = 0xff; return b; })(), /not valid UTF-8/],
    ['an unknown dtype', withHeader('{"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}', new Uint8Array(1)), /unknown dtype "F8"/],
    ['a negative dimension', withHeader('{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}', new Uint8Array(1)), /invalid shape \[-1\]/],
    ['a fractional offset', withHeader('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,0.5]}}', new Uint8Array(1)), /invalid data_offsets/],
    ['offsets past the data', withHeader('{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}', new Uint8Array(2)), /outside the 2-byte data section/],
    ['a shape that does not match its bytes', withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', new Uint8Array(8)), /needs 8 bytes, its data_offsets span 4/],
    ['a gigantic shape', withHeader('{"a":{"dtype":"F32","shape":[100000000,100000000],"data_offsets":[0,4]}}', new Uint8Array(4)), /needs more bytes than the file holds/],
    ['overlapping tensors', withHeader('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}', new Uint8Array(3)), /overlaps/],
    ['a hole in the data', withHeader('{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', new Uint8Array(2)), /hole in the data before tensor 'a'/],
    ['trailing bytes', withHeader('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', new Uint8Array(3)), /2 bytes after the last tensor/],
    ['non-string metadata', withHeader('{"__metadata__":{"epoch":3}}'), /metadata 'epoch' is not a string/],
  ])('refuses %s with a clear SafetensorsError', (_what, bytes, message) => {
    expect(() => decodeSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  });

  it('honours maxHeaderBytes', () => {
    expect(() => decodeSafetensors(good(), { maxHeaderBytes: 16 })).toThrow(/exceeds the limit of 16 bytes/);
  });

  it('fuzz: every truncation is a SafetensorsError', () => {
    const bytes = good();
    for (let len = 0; len < bytes.length; len++) {
      expect(() => decodeSafetensors(bytes.subarray(0, len)), `truncated to ${len}`).toThrow(SafetensorsError);
    }
  });

  it('fuzz: 3000 seeded corruptions either decode consistently or throw SafetensorsError, nothing else', () => {
    const bytes = good();
    const rng = new Rng(2024);
    let rejected = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const b = bytes.slice();
      const flips = 1 + rng.nextInt(4);
      for (let k = 0; k < flips; k++) {
        // Aim half the corruptions at the length prefix and header, where parsing happens.
        const at = rng.nextInt(2) === 0 ? rng.nextInt(Math.min(b.length, 120)) : rng.nextInt(b.length);
        b[at] = rng.nextInt(256);
      }
      try {
        const { tensors } = decodeSafetensors(b);
        let total = 0;
        for (const t of tensors.values()) total += t.data.byteLength;
        expect(total).toBeLessThanOrEqual(b.length);
      } catch (e) {
        expect(e, `trial ${trial}: ${(e as Error).message}`).toBeInstanceOf(SafetensorsError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(500);
  });
});
