// Tiny hand-written WebAssembly modules that work on the tfjs wasm heap: one exported function of i32 (or f32)
// parameters, compiled against tfjs-backend-wasm's own memory (imported as env.memory). Used where no tfjs kernel
// does the job fast (adamSimd.ts, maxPoolGradSimd.ts, col2imSimd.ts, patchRowsSimd.ts); nothing is compiled at
// install time, and where the module cannot be built (no wasm SIMD) the caller keeps its other path.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Bytes of WebAssembly code. */
export type Op = number[];

/** Unsigned LEB128 (also right for the small non-negative i32 constants the modules use, below 64). */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

// Instructions, as the modules' code writes them (the WebAssembly binary format's opcodes).
/** local.get, local.set, local.tee of local `n`. */
export const get = (n: number): Op => [0x20, n];
export const set = (n: number): Op => [0x21, n];
export const tee = (n: number): Op => [0x22, n];
/** i32.const n, any 32-bit integer (signed LEB128). */
export const i32 = (n: number): Op => {
  const out: number[] = [0x41];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
export const [add, sub, mul, shl]: Op[] = [[0x6a], [0x6b], [0x6c], [0x74]]; // i32 arithmetic
/** A SIMD instruction (prefix 0xfd, LEB128 opcode). */
export const simd = (op: number): Op => [0xfd, ...leb(op)];
export const load: Op = [...simd(0x00), 0x00, 0x00]; // v128.load, byte alignment, offset 0
export const store: Op = [...simd(0x0b), 0x00, 0x00]; // v128.store
/** The address in local `ptr` plus local `off`, and a v128.load from it. */
export const addressAt = (ptr: number, off: number): Op => [...get(ptr), ...get(off), ...add];
export const loadAt = (ptr: number, off: number): Op => [...addressAt(ptr, off), ...load];
/** v128.const 0. */
export const V128_ZERO: Op = [...simd(0x0c), ...Array<number>(16).fill(0)];
/** f32x4 lane arithmetic and comparisons (IEEE binary32 lane by lane). */
export const f32x4 = {
  splat: simd(0x13),
  eq: simd(0x41),
  ne: simd(0x42),
  gt: simd(0x44),
  sqrt: simd(0xe3),
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  div: simd(0xe7),
} as const;
/** v128 bitwise operations; `bitselect` takes a, b, mask and gives a where the mask's bits are set, else b. */
export const v128 = { and: simd(0x4e), andnot: simd(0x4f), or: simd(0x50), bitselect: simd(0x52) } as const;
/** `loop … end` around `body`. */
export const loop = (...body: Op[]): Op => [0x03, 0x40, ...body.flat(), 0x0b];
/** `--n; br_if` to the enclosing loop while n ≠ 0 (so a loop runs n ≥ 1 times). */
export const countDown = (n: number): Op => [...get(n), ...i32(1), ...sub, ...tee(n), 0x0d, 0x00];

const str = (s: string) => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];
const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes];

/** Value types of parameters. */
export const I32 = 0x7f;
export const F32 = 0x7d;

/**
 * A module exporting `name`: a function of `params` parameters (a count of i32s, or their value types), no
 * result, whose code (locals + body) is `body`. `shared`: the imported memory is a shared one (tfjs's
 * multi-threaded build), declared with the largest maximum so that any shared heap links.
 */
export function moduleBytes(name: string, params: number | readonly number[], body: Op, shared = false) {
  const types = typeof params === 'number' ? Array<number>(params).fill(I32) : [...params];
  const limits = shared ? [0x03, 0x00, ...leb(65536)] : [0x00, 0x00]; // (shared) min 0 pages, max 4 GiB
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [0x01, 0x60, ...leb(types.length), ...types, 0x00]), // one type: (params …) → ()
    ...section(2, [0x01, ...str('env'), ...str('memory'), 0x02, ...limits]), // import env.memory
    ...section(3, [0x01, 0x00]), // one function, of type 0
    ...section(7, [0x01, ...str(name), 0x00, 0x00]), // export it
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ]);
}

const compiled = new WeakMap<WebAssembly.Memory, Map<string, unknown>>();

/**
 * The function `name` of the module built from `body`, instantiated once per heap, or undefined where it cannot
 * run here (see the file comment).
 */
export function compileSimd<F>(
  backend: BackendWasm,
  name: string,
  params: number | readonly number[],
  body: Op,
): F | undefined {
  const module = backend.wasm as unknown as { asm?: { memory?: unknown }; wasmMemory?: unknown };
  const memory = module.asm?.memory ?? module.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return undefined;
  let byName = compiled.get(memory);
  if (!byName) compiled.set(memory, (byName = new Map()));
  if (!byName.has(name)) {
    // The heap is shared in tfjs's multi-threaded build; the passes run on the calling thread between XNNPACK calls,
    // as tfjs's own JavaScript kernels do, so plain loads and stores are safe there too.
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    let fn: unknown = null;
    try {
      const instance = new WebAssembly.Instance(
        new WebAssembly.Module(moduleBytes(name, params, body, shared)),
        {
          env: { memory },
        },
      );
      fn = instance.exports[name];
    } catch {
      fn = null; // no wasm SIMD (or threads) here: the caller's other path
    }
    byName.set(name, fn);
  }
  return (byName.get(name) as F | null) ?? undefined;
}
