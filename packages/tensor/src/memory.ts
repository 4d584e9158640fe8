import { tf } from '@nutshell/backend';
import type { Tensor, TensorContainer } from '@tensorflow/tfjs-core';
import { LeakError } from './errors.js';

/**
 * Runs `fn` and disposes every tensor it made except those it returns (and those passed to `keep`).
 * Synchronous only, like `tf.tidy`: for async code use `expectNoLeaks` or dispose explicitly.
 * @public
 */
export function scope<T extends TensorContainer>(fn: () => T): T;
/** Named variant: the name shows up in tfjs's profiler. @public */
export function scope<T extends TensorContainer>(name: string, fn: () => T): T;
export function scope<T extends TensorContainer>(a: string | (() => T), b?: () => T): T {
  return typeof a === 'string' ? tf.tidy(a, b!) : tf.tidy(a);
}

/**
 * Keeps a tensor alive past the end of the enclosing `scope`; the caller then owns it.
 * @public
 */
export function keep<T extends Tensor>(t: T): T {
  return tf.keep(t);
}

/**
 * Disposes tensors (or any container of them).
 * @public
 */
export function dispose(container: TensorContainer): void {
  tf.dispose(container);
}

/** Memory in use on the current backend. @public */
export interface MemoryStats {
  /** Tensors alive. */
  readonly numTensors: number;
  /** Bytes held by tensors. */
  readonly numBytes: number;
  /** Distinct data buffers (several tensors may share one). */
  readonly numDataBuffers: number;
}

/** Memory in use now. @public */
export function memoryStats(): MemoryStats {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes, numDataBuffers: m.numDataBuffers };
}

/** Tensors alive now. @public */
export function numTensors(): number {
  return tf.memory().numTensors;
}

/**
 * Runs `fn` (sync or async) and throws a `LeakError` if more tensors are alive afterwards than before.
 * What `fn` returns is excluded when it is a tensor or an array of tensors, since the caller owns it.
 * @public
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, label = 'expectNoLeaks'): Promise<T> {
  const before = numTensors();
  const result = await fn();
  const owned = countOwned(result);
  const leaked = numTensors() - before - owned;
  if (leaked > 0) throw new LeakError(label, leaked);
  return result;
}

function countOwned(value: unknown): number {
  if (value instanceof tf.Tensor) return value.isDisposed ? 0 : 1;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countOwned(v), 0);
  return 0;
}

/**
 * Reads a tensor's values asynchronously (works on every backend, WebGPU in Node included).
 * @public
 */
export async function read(t: Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  return (await t.data()) as Float32Array | Int32Array | Uint8Array;
}
