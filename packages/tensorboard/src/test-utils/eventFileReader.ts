// An event-file reader written from the format's description, sharing no code with the writer: its own bitwise
// CRC-32C, its own protobuf wire decoder. Tests read what the writer wrote with it.

/** CRC-32C, bit by bit (reflected polynomial 0x82F63B78), no table. */
export function crc32cBitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function masked(bytes: Uint8Array): number {
  const c = crc32cBitwise(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/** Splits a TFRecord file into its records, checking both CRCs of each; throws on any mismatch or truncation. */
export function readRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  for (let at = 0; at < file.length;) {
    if (at + 12 > file.length) throw new Error(`truncated header at byte ${at}`);
    const length = Number(view.getBigUint64(at, true));
    if (view.getUint32(at + 8, true) !== masked(file.subarray(at, at + 8)))
      throw new Error(`bad length CRC at byte ${at}`);
    if (at + 12 + length + 4 > file.length) throw new Error(`truncated record at byte ${at}`);
    const data = file.subarray(at + 12, at + 12 + length);
    if (view.getUint32(at + 12 + length, true) !== masked(data))
      throw new Error(`bad data CRC at byte ${at}`);
    records.push(data);
    at += 12 + length + 4;
  }
  return records;
}

type Field = { no: number; wire: number; varint?: bigint; bytes?: Uint8Array; fixed?: DataView };

/** The fields of one protobuf message, in order. */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = buf[at++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, varint: varint() });
    else if (wire === 1) {
      out.push({ no, wire, fixed: new DataView(buf.buffer, buf.byteOffset + at, 8) });
      at += 8;
    } else if (wire === 2) {
      const n = Number(varint());
      out.push({ no, wire, bytes: buf.subarray(at, at + n) });
      at += n;
    } else if (wire === 5) {
      out.push({ no, wire, fixed: new DataView(buf.buffer, buf.byteOffset + at, 4) });
      at += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

const doubles = (b: Uint8Array) =>
  Array.from({ length: b.length / 8 }, (_, i) =>
    new DataView(b.buffer, b.byteOffset + 8 * i, 8).getFloat64(0, true),
  );

export interface DecodedValue {
  tag: string;
  simpleValue?: number;
  histo?: {
    min: number;
    max: number;
    num: number;
    sum: number;
    sumSquares: number;
    bucketLimit: number[];
    bucket: number[];
  };
  image?: { height: number; width: number; colorspace: number; png: Uint8Array<ArrayBufferLike> };
}

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values: DecodedValue[];
}

function decodeValue(buf: Uint8Array): DecodedValue {
  const v: DecodedValue = { tag: '' };
  for (const f of fields(buf)) {
    if (f.no === 1) v.tag = new TextDecoder().decode(f.bytes);
    else if (f.no === 2) v.simpleValue = f.fixed!.getFloat32(0, true);
    else if (f.no === 4) {
      const img: NonNullable<DecodedValue['image']> = {
        height: 0,
        width: 0,
        colorspace: 0,
        png: new Uint8Array(),
      };
      for (const g of fields(f.bytes!)) {
        if (g.no === 1) img.height = Number(g.varint);
        if (g.no === 2) img.width = Number(g.varint);
        if (g.no === 3) img.colorspace = Number(g.varint);
        if (g.no === 4) img.png = g.bytes!;
      }
      v.image = img;
    } else if (f.no === 5) {
      const h = {
        min: 0,
        max: 0,
        num: 0,
        sum: 0,
        sumSquares: 0,
        bucketLimit: [] as number[],
        bucket: [] as number[],
      };
      const names = ['', 'min', 'max', 'num', 'sum', 'sumSquares'] as const;
      for (const g of fields(f.bytes!)) {
        if (g.no >= 1 && g.no <= 5)
          (h as Record<string, unknown>)[names[g.no]] = g.fixed!.getFloat64(0, true);
        if (g.no === 6) h.bucketLimit = doubles(g.bytes!);
        if (g.no === 7) h.bucket = doubles(g.bytes!);
      }
      v.histo = h;
    }
  }
  return v;
}

/** Decodes an `Event` record: wall time, step, file version or the summary's values. */
export function decodeEvent(buf: Uint8Array): DecodedEvent {
  const e: DecodedEvent = { wallTime: 0, step: 0, values: [] };
  for (const f of fields(buf)) {
    if (f.no === 1) e.wallTime = f.fixed!.getFloat64(0, true);
    else if (f.no === 2) e.step = Number(f.varint);
    else if (f.no === 3) e.fileVersion = new TextDecoder().decode(f.bytes);
    else if (f.no === 5)
      for (const g of fields(f.bytes!)) if (g.no === 1) e.values.push(decodeValue(g.bytes!));
  }
  return e;
}
