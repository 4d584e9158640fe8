// Freeing an ArrayBuffer's memory at once instead of when V8's collector gets to it. ONNX Runtime's Node binding
// (onnxruntime-node 1.30) returns every output as a fresh copy, even when the output was pre-allocated and ONNX
// Runtime already wrote it there; kernels drop that copy straight away, but V8 frees an unreachable array buffer only
// at a collection, and it starts one for external memory only after about 64 MB more of it. On W3 that left 25–30 MB
// of dead copies resident, and glibc kept the freed blocks afterwards (README, "Peak memory").
//
// `ArrayBuffer.prototype.transfer(0)` (ES2024) detaches a buffer and frees its backing store. Node 21+ has it. Node 20
// (V8 11.3) has it behind V8's `--harmony-rab-gsab-transfer`, which decides only whether a new context gets the
// method: so the flag is turned on for the moment a private vm context is made, and off again, and that context's
// `transfer` is called on this realm's buffers (the builtin accepts an ArrayBuffer of any realm). The main context,
// and every context made later, are left as they were.

/** `ArrayBuffer.prototype.transfer`, called with the buffer as `this`. */
export type TransferFunction = (this: ArrayBuffer, newLength?: number) => ArrayBuffer;

/** Node's v8 and vm modules, the parts used here. */
export interface NodeModules {
  readonly v8: { setFlagsFromString(flags: string): void };
  readonly vm: { runInNewContext(code: string): unknown };
}

/**
 * The `transfer` method that frees a buffer: this realm's where it has one (Node 21+), else that of a private context
 * made with V8's flag on for that moment (Node 20), else undefined (the buffer then waits for the collector).
 */
export function findTransfer(modules: NodeModules): TransferFunction | undefined {
  const own = (ArrayBuffer.prototype as { transfer?: TransferFunction }).transfer;
  if (typeof own === 'function') return own;
  try {
    modules.v8.setFlagsFromString('--harmony-rab-gsab-transfer');
    try {
      const found = modules.vm.runInNewContext('ArrayBuffer.prototype.transfer');
      return typeof found === 'function' ? (found as TransferFunction) : undefined;
    } finally {
      modules.v8.setFlagsFromString('--no-harmony-rab-gsab-transfer');
    }
  } catch {
    return undefined;
  }
}

/**
 * Frees `buffer`'s memory now with `transfer` (detaching it: every view of it reads as empty from here on); does
 * nothing without one, or for a shared or empty buffer.
 */
export function releaseBuffer(buffer: ArrayBufferLike, transfer: TransferFunction | undefined): void {
  // Tested by tag, not `instanceof`, so that a buffer from another realm counts too; a SharedArrayBuffer cannot be
  // detached.
  if (transfer && buffer.byteLength > 0 && Object.prototype.toString.call(buffer) === '[object ArrayBuffer]')
    transfer.call(buffer as ArrayBuffer, 0);
}
