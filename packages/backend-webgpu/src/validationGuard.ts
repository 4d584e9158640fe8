// Turns WebGPU validation errors into exceptions. Dawn reports an invalid shader or pipeline asynchronously
// (an error scope's promise, or the device's 'uncapturederror' event) and the op's output is left as garbage,
// so this guard records every such error against the program that caused it and the backend throws it at the
// next op or read: a wrong result is never returned without an error.
import { WebGpuKernelError } from './errors.js';

interface Recorded {
  readonly program: string;
  readonly message: string;
}

/** Records WebGPU validation errors of one device and rethrows them as `WebGpuKernelError`s. */
export class ValidationGuard {
  private readonly device: GPUDevice;
  private recorded: Recorded | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(device: GPUDevice) {
    this.device = device;
    device.addEventListener('uncapturederror', (event) => {
      const message = (event as GPUUncapturedErrorEvent).error.message;
      // Dawn names the failed pipeline in the message ('[Invalid ComputePipeline "PadProgram"]').
      const program = /"(\w+Program)"/.exec(message)?.[1] ?? 'unknown';
      this.record({ program, message });
    });
  }

  /** Runs `fn` (which encodes `program`) inside a validation error scope whose error is recorded against it. */
  watch<T>(program: string, fn: () => T): T {
    this.throwIfFailed();
    this.device.pushErrorScope('validation');
    let result: T;
    try {
      result = fn();
    } finally {
      const popped = this.device.popErrorScope().then(
        (error) => {
          if (error) this.record({ program, message: error.message });
        },
        () => {}, // a lost device rejects: the DeviceGuard reports that
      );
      this.pending.add(popped);
      void popped.then(() => this.pending.delete(popped));
    }
    return result;
  }

  /** Waits for every scope still open, then throws the first recorded error, if any. */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
    this.throwIfFailed();
  }

  /** Throws (once) the first error recorded since the last throw. */
  throwIfFailed(): void {
    const r = this.recorded;
    if (!r) return;
    this.recorded = undefined;
    throw new WebGpuKernelError(r.program, r.message);
  }

  private record(r: Recorded): void {
    // The first error is the cause and later ones its consequences, except that Dawn may deliver the
    // consequence ('... is invalid due to a previous error') before the error scope delivers the cause.
    const consequence = (m: string) => m.includes('due to a previous error');
    if (!this.recorded || (consequence(this.recorded.message) && !consequence(r.message))) this.recorded = r;
  }
}
