import { NutshellError } from '@nutshell/backend';

/**
 * The WebGPU device was lost (destroyed, a driver reset, a GPU removed, out of memory): every tensor that
 * lived on it is gone. Thrown by ops and reads on the lost device instead of hanging or returning garbage.
 * Recover with `useBackend('webgpu')` (a new device), then reload weights from the last checkpoint.
 * @public
 */
export class WebGpuDeviceLostError extends NutshellError {
  /** The `GPUDeviceLostInfo.reason`: `'destroyed'` when the program destroyed it, otherwise `'unknown'`. */
  readonly reason: string;
  /** The implementation's message, may be empty. */
  readonly gpuMessage: string;
  constructor(reason: string, gpuMessage: string, during?: string) {
    super(
      `webgpu: the WebGPU device was lost (reason '${reason}'${gpuMessage ? `: ${gpuMessage}` : ''})` +
        `${during ? ` during ${during}` : ''}; every tensor on it is gone. Call useBackend('webgpu') again for a ` +
        'new device, then reload the weights from your last checkpoint.',
    );
    this.reason = reason;
    this.gpuMessage = gpuMessage;
  }
}

/**
 * Watches one GPUDevice for loss, so the backend can fail fast on a lost device and reads waiting on it
 * reject instead of waiting forever.
 */
export class DeviceGuard {
  /** Set once the device is lost. */
  lost: { reason: string; message: string } | undefined;
  /** Resolves when the device is lost. */
  readonly whenLost: Promise<{ reason: string; message: string }>;

  constructor(device: GPUDevice) {
    this.whenLost = device.lost.then((info) => {
      this.lost = { reason: String(info.reason ?? 'unknown'), message: info.message ?? '' };
      return this.lost;
    });
  }

  /** Throws a `WebGpuDeviceLostError` if the device is lost. */
  check(during: string): void {
    if (this.lost) throw new WebGpuDeviceLostError(this.lost.reason, this.lost.message, during);
  }

  /** `work`, or a `WebGpuDeviceLostError` as soon as the device is lost, whichever comes first. */
  async race<T>(work: Promise<T>, during: string): Promise<T> {
    this.check(during);
    const lost = this.whenLost.then((l) => {
      throw new WebGpuDeviceLostError(l.reason, l.message, during);
    });
    try {
      return await Promise.race([work, lost]);
    } catch (e) {
      // A read that failed because the device went away says so, whatever the implementation's own error was.
      this.check(during);
      throw e;
    } finally {
      lost.catch(() => {}); // the loser of the race must not surface as an unhandled rejection
    }
  }
}

/**
 * A WebGPU validation or shader-compilation error in a kernel: its output would be garbage, so the next op or
 * read after it throws this instead. Names the program (tfjs's `...Program` class) and quotes the adapter's
 * message. A Nutshell bug or a tfjs-backend-webgpu bug: please report it with the message.
 * @public
 */
export class WebGpuKernelError extends NutshellError {
  /** The tfjs WebGPU program that failed, e.g. `'PadProgram'`; `'unknown'` when the error came later. */
  readonly program: string;
  /** The implementation's message. */
  readonly gpuMessage: string;
  constructor(program: string, gpuMessage: string) {
    const firstLines = gpuMessage.split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ').trim();
    super(
      `webgpu: the kernel ${program} failed WebGPU validation (${firstLines}); its result would be garbage, so ` +
        'it is refused. Run the op on the cpu or wasm backend, and report this error.',
    );
    this.program = program;
    this.gpuMessage = gpuMessage;
  }
}
