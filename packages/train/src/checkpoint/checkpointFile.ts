import { CheckpointError } from '../errors.js';
import { SafetensorsError, decodeSafetensors, encodeSafetensors } from '@nutshell/layers';
import type { SafetensorsTensor } from '@nutshell/layers';

/** A checkpoint file begins with this, then the SHA-256 of the rest, then a safetensors body. */
const MAGIC = new TextEncoder().encode('NUTCKPT1');
const HEAD = MAGIC.length + 32;

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  // WebCrypto: the same code in Node (globalThis.crypto) and in browsers.
  if (!globalThis.crypto?.subtle) {
    throw new CheckpointError('checkpoint', 'Checkpoints need WebCrypto (crypto.subtle) for their SHA-256 checksum; browsers offer it only on https:// or localhost pages.');
  }
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Encodes tensors and metadata as a self-checking checkpoint file. */
export async function encodeCheckpointFile(tensors: Record<string, SafetensorsTensor>, metadata: Record<string, string>): Promise<Uint8Array> {
  const body = encodeSafetensors(tensors, metadata);
  const out = new Uint8Array(HEAD + body.length);
  out.set(MAGIC, 0);
  out.set(await sha256(body), MAGIC.length);
  out.set(body, HEAD);
  return out;
}

/** Decodes a checkpoint file, refusing one that is truncated or whose checksum does not match. */
export async function decodeCheckpointFile(bytes: Uint8Array, file: string): Promise<{ tensors: Map<string, SafetensorsTensor>; metadata: Record<string, string> }> {
  if (bytes.length < HEAD || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new CheckpointError(file, `Checkpoint ${file} is not a Nutshell checkpoint or is truncated (${bytes.length} bytes).`);
  }
  const body = bytes.subarray(HEAD);
  const want = bytes.subarray(MAGIC.length, HEAD);
  const got = await sha256(body);
  if (got.some((b, i) => b !== want[i])) {
    throw new CheckpointError(file, `Checkpoint ${file} is corrupt or truncated: its SHA-256 checksum does not match its contents.`);
  }
  try {
    return decodeSafetensors(body);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new CheckpointError(file, `Checkpoint ${file}: ${e.message}`);
    throw e;
  }
}

/** A decoded tensor's values as a typed array tfjs takes; other dtypes are refused, naming the tensor. */
export function valuesOf(t: SafetensorsTensor, name: string, file: string): Float32Array | Int32Array | Uint8Array {
  if (t.dtype === 'F32' || t.dtype === 'I32' || t.dtype === 'U8') return t.data as Float32Array | Int32Array | Uint8Array;
  throw new CheckpointError(file, `Checkpoint ${file}: tensor '${name}' has dtype ${t.dtype}; expected F32, I32 or U8.`);
}
