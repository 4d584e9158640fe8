import { NutshellError } from '@nutshell/tensor';

/** The element types of the safetensors format. @public */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** A typed array holding a tensor's values (F16 and BF16 as their raw 16-bit patterns, BOOL as bytes). @public */
export type SafetensorsData =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | BigInt64Array
  | BigUint64Array;

/** One tensor of a safetensors file. @public */
export interface SafetensorsTensor {
  /** Its element type. */
  readonly dtype: SafetensorsDtype;
  /** Its shape (`[]` for a scalar). */
  readonly shape: readonly number[];
  /** Its values, row-major; the typed array matching `dtype`. */
  readonly data: SafetensorsData;
}

/** Options of {@link decodeSafetensors}. @public */
export interface DecodeSafetensorsOptions {
  /** Largest JSON header accepted, in bytes (default 16 MiB; the reference implementation allows 100 MB). */
  readonly maxHeaderBytes?: number;
}

/**
 * A safetensors file is malformed, truncated, or inconsistent. The message says what and where.
 * @public
 */
export class SafetensorsError extends NutshellError {}

interface DtypeInfo {
  readonly bytes: number;
  readonly array: new (buffer: ArrayBuffer) => SafetensorsData;
}

const DTYPES: Record<SafetensorsDtype, DtypeInfo> = {
  F64: { bytes: 8, array: Float64Array },
  F32: { bytes: 4, array: Float32Array },
  F16: { bytes: 2, array: Uint16Array },
  BF16: { bytes: 2, array: Uint16Array },
  I64: { bytes: 8, array: BigInt64Array },
  I32: { bytes: 4, array: Int32Array },
  I16: { bytes: 2, array: Int16Array },
  I8: { bytes: 1, array: Int8Array },
  U64: { bytes: 8, array: BigUint64Array },
  U32: { bytes: 4, array: Uint32Array },
  U16: { bytes: 2, array: Uint16Array },
  U8: { bytes: 1, array: Uint8Array },
  BOOL: { bytes: 1, array: Uint8Array },
};

const METADATA = '__metadata__';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const MAX_RANK = 32;

function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Writes tensors in the safetensors format (huggingface.co/docs/safetensors): an 8-byte little-endian header
 * length N, N bytes of JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": {...} }`
 * padded with spaces to a multiple of 8, then the raw little-endian data, tensor after tensor in the given order.
 * @public
 */
export function encodeSafetensors(tensors: Record<string, SafetensorsTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  const entries = Object.entries(tensors);
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError(`encodeSafetensors: metadata '${k}' must be a string, got ${typeof v}.`);
    }
    header[METADATA] = metadata;
  }
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === METADATA || name.length === 0) throw new SafetensorsError(`encodeSafetensors: '${name}' is not a valid tensor name.`);
    const info = DTYPES[t.dtype];
    if (!info) throw new SafetensorsError(`encodeSafetensors: tensor '${name}' has unknown dtype '${t.dtype}'.`);
    if (!(t.data instanceof info.array)) {
      throw new SafetensorsError(`encodeSafetensors: tensor '${name}' is ${t.dtype} but its data is a ${t.data.constructor.name}, not a ${info.array.name}.`);
    }
    const n = elementCount(t.shape);
    if (t.shape.some((d) => !Number.isSafeInteger(d) || d < 0) || n !== t.data.length) {
      throw new SafetensorsError(`encodeSafetensors: tensor '${name}' has shape [${t.shape.join(', ')}] (${n} elements) but ${t.data.length} values.`);
    }
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + n * info.bytes] };
    offset += n * info.bytes;
  }
  let json = JSON.stringify(header);
  const jsonBytes = new TextEncoder().encode(json);
  const padded = Math.ceil(jsonBytes.length / 8) * 8;
  json += ' '.repeat(padded - jsonBytes.length);
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(new TextEncoder().encode(json), 8);
  let at = 8 + padded;
  for (const [, t] of entries) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(bytes, at);
    if (!LITTLE_ENDIAN) swapBytes(out.subarray(at, at + bytes.length), DTYPES[t.dtype].bytes);
    at += bytes.length;
  }
  return out;
}

/**
 * Reads a safetensors file. Safe on untrusted input: the header length is bounded (`maxHeaderBytes`) and must fit
 * in the file; the header must be valid UTF-8 JSON; every dtype must be known, every shape made of non-negative
 * integers, every tensor's byte range inside the data section, matching its shape and dtype, and the ranges must
 * tile the data section without overlap or holes. Anything else is a `SafetensorsError`; nothing is allocated
 * beyond the size of the input. The values are copied (aligned), not views into `bytes`.
 * @public
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  opts: DecodeSafetensorsOptions = {},
): { tensors: Map<string, SafetensorsTensor>; metadata: Record<string, string> } {
  const fail = (why: string): never => {
    throw new SafetensorsError(`Invalid safetensors file: ${why}.`);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected a Uint8Array');
  const maxHeader = opts.maxHeaderBytes ?? 16 * 1024 * 1024;
  if (bytes.length < 8) fail(`the file is ${bytes.length} bytes, shorter than its 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (hi > 0 || n > maxHeader) fail(`the header length ${n} exceeds the limit of ${maxHeader} bytes`);
  if (n < 2) fail(`the header length ${n} is too small for a JSON object`);
  if (8 + n > bytes.length) fail(`the header length ${n} runs past the end of the ${bytes.length}-byte file (truncated?)`);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail('the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail('the header does not start with "{"');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('the header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const found: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA) {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) fail('"__metadata__" is not an object');
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`metadata '${k}' is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) fail(`tensor '${name}' is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPES, dtype)) fail(`tensor '${name}' has unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || shape.length > MAX_RANK || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0)) {
      fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    if (begin > end || end > dataLength) fail(`tensor '${name}' has data_offsets [${begin}, ${end}] outside the ${dataLength}-byte data section`);
    const info = DTYPES[dtype as SafetensorsDtype];
    // Multiply with a guard, so that huge dimensions cannot overflow into a plausible size.
    let count = (shape as number[]).includes(0) ? 0 : 1;
    for (const d of count === 0 ? [] : (shape as number[])) {
      count *= d;
      if (count * info.bytes > dataLength) fail(`tensor '${name}' of shape [${(shape as number[]).join(', ')}] needs more bytes than the file holds`);
    }
    if (count * info.bytes !== end - begin) {
      fail(`tensor '${name}' of dtype ${dtype} and shape [${(shape as number[]).join(', ')}] needs ${count * info.bytes} bytes, its data_offsets span ${end - begin}`);
    }
    found.push({ name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end });
  }
  // The byte ranges must tile the data section exactly.
  const sorted = [...found].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const t of sorted) {
    if (t.begin !== at) fail(t.begin < at ? `tensor '${t.name}' overlaps the previous tensor's data` : `there is a hole in the data before tensor '${t.name}'`);
    at = t.end;
  }
  if (at !== dataLength) fail(`the data section has ${dataLength - at} bytes after the last tensor`);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const t of found) {
    const info = DTYPES[t.dtype];
    const copy = bytes.slice(dataStart + t.begin, dataStart + t.end);
    if (!LITTLE_ENDIAN) swapBytes(copy, info.bytes);
    tensors.set(t.name, { dtype: t.dtype, shape: t.shape, data: new info.array(copy.buffer) });
  }
  return { tensors, metadata };
}
