// Interim safetensors codec with the signature of @nutshell/layers' encodeSafetensors/decodeSafetensors
// (the contract); replaced by the layers package's once it is published.
import { CheckpointError } from '../errors.js';

export type StDtype = 'F32' | 'I32' | 'U8';
export interface StTensor {
  dtype: StDtype;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

const BYTES: Record<StDtype, number> = { F32: 4, I32: 4, U8: 1 };

export function encodeSafetensors(tensors: Record<string, StTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const names = Object.keys(tensors);
  for (const name of names) {
    const t = tensors[name];
    const n = t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let o = 8 + json.length;
  for (const name of names) {
    const d = tensors[name].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), o);
    o += d.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array, file = 'safetensors'): { tensors: Map<string, StTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new CheckpointError(file, `${file}: truncated (${bytes.length} bytes, no header).`);
  const len = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + len > bytes.length) throw new CheckpointError(file, `${file}: truncated (header of ${len} bytes, file of ${bytes.length}).`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as Record<string, { dtype: StDtype; shape: number[]; data_offsets: [number, number] }>;
  const base = 8 + len;
  const tensors = new Map<string, StTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, h] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = h as unknown as Record<string, string>;
      continue;
    }
    const [a, b] = h.data_offsets;
    if (base + b > bytes.length) throw new CheckpointError(file, `${file}: truncated (tensor '${name}' ends past the end of the file).`);
    const slice = bytes.slice(base + a, base + b);
    const data = h.dtype === 'F32' ? new Float32Array(slice.buffer) : h.dtype === 'I32' ? new Int32Array(slice.buffer) : slice;
    if (data.length * BYTES[h.dtype] !== b - a) throw new CheckpointError(file, `${file}: tensor '${name}' has a bad size.`);
    tensors.set(name, { dtype: h.dtype, shape: h.shape, data });
  }
  return { tensors, metadata };
}
