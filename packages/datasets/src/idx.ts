import { closeSync, fstatSync, openSync, readSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataFileError } from './errors.js';

/**
 * The element types of the IDX format, by name. The third byte of an IDX file's magic number selects one:
 * 0x08 ubyte, 0x09 sbyte, 0x0B short (int16), 0x0C int (int32), 0x0D float (float32), 0x0E double (float64);
 * multi-byte values are big-endian.
 * @public
 */
export type IdxDType = 'ubyte' | 'sbyte' | 'short' | 'int' | 'float' | 'double';

/** The typed array an IDX file's values are read into, by element type. @public */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** An IDX array: element type, dimensions and the values in row-major order. @public */
export interface IdxArray {
  readonly dtype: IdxDType;
  /** The dimensions, outermost first, e.g. `[60000, 28, 28]` for MNIST's training images. */
  readonly dims: readonly number[];
  readonly data: IdxData;
}

const CODES: Readonly<Record<number, { dtype: IdxDType; bytes: number }>> = {
  0x08: { dtype: 'ubyte', bytes: 1 },
  0x09: { dtype: 'sbyte', bytes: 1 },
  0x0b: { dtype: 'short', bytes: 2 },
  0x0c: { dtype: 'int', bytes: 4 },
  0x0d: { dtype: 'float', bytes: 4 },
  0x0e: { dtype: 'double', bytes: 8 },
};

interface IdxHeader {
  dtype: IdxDType;
  bytes: number;
  dims: number[];
  headerBytes: number;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** Reads the magic number and dimensions from the first bytes; `head` may be longer than the header. */
function parseHeader(head: Uint8Array, fileSize: number, source: string): IdxHeader {
  if (fileSize < 4 || head.length < 4) {
    throw new DataFileError(
      source,
      `not an IDX file: ${fileSize} bytes is shorter than the 4-byte magic number.`,
    );
  }
  if (head[0] !== 0 || head[1] !== 0) {
    throw new DataFileError(
      source,
      `not an IDX file: the magic number must start with two zero bytes, got ${hex(head[0])} ${hex(head[1])}` +
        (head[0] === 0x1f && head[1] === 0x8b
          ? ' (it looks gzip-compressed: name it *.gz or gunzip it).'
          : '.'),
    );
  }
  const code = CODES[head[2]];
  if (!code) {
    throw new DataFileError(
      source,
      `unknown IDX element type ${hex(head[2])}; expected one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e.`,
    );
  }
  const rank = head[3];
  if (rank === 0) throw new DataFileError(source, 'IDX header declares 0 dimensions.');
  const headerBytes = 4 + 4 * rank;
  if (fileSize < headerBytes || head.length < headerBytes) {
    throw new DataFileError(
      source,
      `truncated header: ${rank} dimensions need ${headerBytes} header bytes, but the file has ${fileSize} bytes.`,
    );
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = headerBytes + dims.reduce((a, d) => a * d, 1) * code.bytes;
  const what = `header declares ${code.dtype} [${dims.join(', ')}], which needs ${expected} bytes`;
  if (fileSize < expected) {
    throw new DataFileError(source, `truncated: ${what}, but the file has only ${fileSize} bytes.`);
  }
  if (fileSize > expected) {
    throw new DataFileError(
      source,
      `malformed: ${what}, but the file has ${fileSize} bytes (${fileSize - expected} extra).`,
    );
  }
  return { dtype: code.dtype, bytes: code.bytes, dims, headerBytes };
}

/** Decodes `count` big-endian values of the header's type from `raw`. */
function decode(raw: Uint8Array, header: IdxHeader, count: number): IdxData {
  if (header.dtype === 'ubyte') return raw; // already its own copy, no conversion needed
  if (header.dtype === 'sbyte') return new Int8Array(raw.buffer, raw.byteOffset, count);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (header.dtype) {
    case 'short': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, false);
      return out;
    }
    case 'int': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, false);
      return out;
    }
    case 'float': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, false);
      return out;
    }
  }
}

function limitRows(
  header: IdxHeader,
  limit: number | undefined,
  source: string,
): { dims: number[]; count: number } {
  const dims = [...header.dims];
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || limit < 0) {
      throw new DataFileError(source, `limit must be a non-negative integer, got ${limit}.`);
    }
    dims[0] = Math.min(dims[0], limit);
  }
  return { dims, count: dims.reduce((a, d) => a * d, 1) };
}

/** Options for reading IDX data. @public */
export interface IdxReadOptions {
  /** Read only the first `limit` entries along the first dimension (e.g. the first 1,000 images). */
  readonly limit?: number;
}

/**
 * Parses IDX bytes already in memory (e.g. fetched in a browser). The header is validated against the byte
 * length: a truncated or over-long buffer, a bad magic number or an unknown element type is a
 * {@link DataFileError} naming `source` and what was wrong.
 * @public
 */
export function parseIdx(bytes: Uint8Array, source = '<IDX bytes>', options: IdxReadOptions = {}): IdxArray {
  const header = parseHeader(bytes, bytes.length, source);
  const { dims, count } = limitRows(header, options.limit, source);
  const raw = bytes.slice(header.headerBytes, header.headerBytes + count * header.bytes);
  return { dtype: header.dtype, dims, data: decode(raw, header, count) };
}

/**
 * Reads an IDX file (the format of MNIST: a magic number giving the element type and rank, the dimensions as
 * big-endian 32-bit integers, then the values). Files ending in `.gz` are gunzipped first. The header is
 * validated against the file size before any data is read; with `limit`, only the first rows are read from disk.
 * Errors are {@link DataFileError}s naming the file and what was wrong (truncated, extra bytes, bad magic number).
 * @public
 */
export function readIdx(path: string, options: IdxReadOptions = {}): IdxArray {
  if (path.endsWith('.gz')) return parseIdx(gunzip(path), path, options);
  return withIdxFile(path, options, (fd, header, dims, count) => {
    const raw = new Uint8Array(count * header.bytes);
    readValues(fd, path, header, raw, 0);
    return { dtype: header.dtype, dims, data: decode(raw, header, count) };
  });
}

/** Bytes read at a time by `readIdxScaled`. */
const CHUNK_BYTES = 1 << 16;

/**
 * Reads an IDX file of unsigned bytes straight into float32 values `byte / divisor` (255 for MNIST's pixels), a chunk at
 * a time: the file's bytes are never all in memory beside the result (MNIST's training images are 47 MB of bytes
 * for 188 MB of floats), so loading peaks lower and leaves no large buffer behind for the collector. A file of another
 * element type gives its dtype and dims with no data, for the caller's error. Same validation and errors as
 * {@link readIdx}; a `.gz` file is gunzipped whole first.
 */
export function readIdxScaled(
  path: string,
  divisor: number,
  options: IdxReadOptions = {},
): { dtype: IdxDType; dims: readonly number[]; data?: Float32Array } {
  const scaled = (bytes: Uint8Array, out: Float32Array, at: number) => {
    for (let i = 0; i < bytes.length; i++) out[at + i] = bytes[i] / divisor;
  };
  if (path.endsWith('.gz')) {
    const { dtype, dims, data } = parseIdx(gunzip(path), path, options);
    if (dtype !== 'ubyte') return { dtype, dims };
    const out = new Float32Array(data.length);
    scaled(data as Uint8Array, out, 0);
    return { dtype, dims, data: out };
  }
  return withIdxFile(path, options, (fd, header, dims, count) => {
    if (header.dtype !== 'ubyte') return { dtype: header.dtype, dims };
    const out = new Float32Array(count);
    const chunk = new Uint8Array(Math.min(CHUNK_BYTES, count));
    for (let done = 0; done < count; done += chunk.length) {
      const part = chunk.subarray(0, Math.min(chunk.length, count - done));
      readValues(fd, path, header, part, done);
      scaled(part, out, done);
    }
    return { dtype: header.dtype, dims, data: out };
  });
}

function gunzip(path: string): Uint8Array {
  try {
    return gunzipSync(readFileSync(path));
  } catch (e) {
    throw new DataFileError(path, `cannot read gzip data: ${(e as Error).message}`);
  }
}

/** Opens an IDX file, validates its header against its size and calls `read` with the rows `options` select. */
function withIdxFile<T>(
  path: string,
  options: IdxReadOptions,
  read: (fd: number, header: IdxHeader, dims: number[], count: number) => T,
): T {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(
      path,
      code === 'ENOENT' ? 'no such file.' : `cannot open: ${(e as Error).message}`,
    );
  }
  try {
    const stat = fstatSync(fd);
    // Opening a directory succeeds on Linux; reading it is a raw EISDIR.
    if (!stat.isFile()) throw new DataFileError(path, 'is a directory, not a file; expected an IDX file.');
    const fileSize = stat.size;
    const head = new Uint8Array(Math.min(fileSize, 4 + 4 * 255));
    readSync(fd, head, 0, head.length, 0);
    const header = parseHeader(head, fileSize, path);
    const { dims, count } = limitRows(header, options.limit, path);
    return read(fd, header, dims, count);
  } finally {
    closeSync(fd);
  }
}

/** Fills `into` with the value bytes that start `from` bytes after the header. */
function readValues(fd: number, path: string, header: IdxHeader, into: Uint8Array, from: number): void {
  let done = 0;
  while (done < into.length) {
    const at = header.headerBytes + from + done;
    const got = readSync(fd, into, done, into.length - done, at);
    if (got === 0) throw new DataFileError(path, `file ended after ${at} bytes while reading values.`);
    done += got;
  }
}

const DTYPE_CODE: Readonly<Record<IdxDType, number>> = {
  ubyte: 0x08,
  sbyte: 0x09,
  short: 0x0b,
  int: 0x0c,
  float: 0x0d,
  double: 0x0e,
};

/**
 * Encodes an array in the IDX format (the inverse of {@link parseIdx}). Useful to write a few images for
 * `nutshell predict` or to make test files.
 * @public
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const { dtype, dims, data } = array;
  const count = dims.reduce((a, d) => a * d, 1);
  if (data.length !== count) {
    throw new DataFileError(
      '<encodeIdx>',
      `dims [${dims.join(', ')}] need ${count} values, got ${data.length}.`,
    );
  }
  const bytes = CODES[DTYPE_CODE[dtype]].bytes;
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + count * bytes);
  const view = new DataView(out.buffer);
  out[2] = DTYPE_CODE[dtype];
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const at = headerBytes + i * bytes;
    const v = data[i];
    switch (dtype) {
      case 'ubyte':
        view.setUint8(at, v);
        break;
      case 'sbyte':
        view.setInt8(at, v);
        break;
      case 'short':
        view.setInt16(at, v, false);
        break;
      case 'int':
        view.setInt32(at, v, false);
        break;
      case 'float':
        view.setFloat32(at, v, false);
        break;
      case 'double':
        view.setFloat64(at, v, false);
        break;
    }
  }
  return out;
}
