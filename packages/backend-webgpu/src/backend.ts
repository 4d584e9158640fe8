// tfjs-backend-webgpu's backend with Nutshell's guards: an op or read on a lost device throws a
// WebGpuDeviceLostError (never hangs), and a synchronous read where none is possible says what to do instead.
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { NutshellError } from '@nutshell/backend';
import type { DeviceGuard } from './errors.js';
import { ValidationGuard } from './validationGuard.js';

type DataId = object;
type WebGPUBackendClass = typeof WebGPUBackend;

const defined = new WeakMap<WebGPUBackendClass, WebGPUBackendClass>();

/**
 * The guarded subclass of tfjs's WebGPUBackend. It must be defined after tfjs-backend-webgpu has been imported
 * (dynamically, once `navigator.gpu` exists), so it is made from the imported class here.
 */
export function guardedBackendClass(
  Base: WebGPUBackendClass,
): new (
  device: GPUDevice,
  adapterInfo: GPUAdapterInfo | undefined,
  guard: DeviceGuard,
  canReadSync: boolean,
) => WebGPUBackend {
  const existing = defined.get(Base);
  if (existing) return existing as never;
  class GuardedWebGPUBackend extends Base {
    readonly guard: DeviceGuard;
    readonly validation: ValidationGuard;
    readonly canReadSync: boolean;
    constructor(
      device: GPUDevice,
      adapterInfo: GPUAdapterInfo | undefined,
      guard: DeviceGuard,
      canReadSync: boolean,
    ) {
      super(device, adapterInfo);
      this.guard = guard;
      this.validation = new ValidationGuard(device);
      this.canReadSync = canReadSync;
    }
    override runWebGPUProgram(...args: Parameters<WebGPUBackend['runWebGPUProgram']>) {
      const program = args[0]?.constructor?.name ?? 'program';
      this.guard.check(`the kernel ${program}`);
      return this.validation.watch(program, () => super.runWebGPUProgram(...args));
    }
    override async read(dataId: DataId) {
      const values = await this.guard.race(super.read(dataId), 'a tensor read');
      await this.validation.settle();
      return values;
    }
    /** Every dataId this backend holds data for, so they can all be read back before switching away. */
    readonly live = new Set<DataId>();
    override write(...args: Parameters<WebGPUBackend['write']>) {
      const dataId = super.write(...args);
      this.live.add(dataId);
      return dataId;
    }
    override move(...args: Parameters<WebGPUBackend['move']>) {
      super.move(...args);
      this.live.add(args[0]);
    }
    override disposeData(dataId: DataId, force?: boolean) {
      const released = super.disposeData(dataId, force);
      if (released) this.live.delete(dataId);
      return released;
    }
    /**
     * Reads every tensor that lives only in GPU memory back to the host (tfjs keeps the values with the tensor),
     * so the engine's synchronous move to another backend finds them there. Called before switching away.
     */
    async readBackAll(): Promise<void> {
      const map = (
        this as unknown as {
          tensorMap: {
            get(
              id: DataId,
            ): { values: unknown; resource?: unknown; dtype: string; refCount: number } | undefined;
          };
        }
      ).tensorMap;
      const reads: Promise<unknown>[] = [];
      for (const id of this.live) {
        const data = map.get(id);
        if (!data) this.live.delete(id);
        else if (data.values == null && data.resource != null && data.refCount > 0 && data.dtype !== 'string')
          reads.push(this.read(id));
      }
      await Promise.all(reads);
    }
    override readSync(dataId: DataId) {
      this.guard.check('a synchronous tensor read');
      this.validation.throwIfFailed();
      const data = (
        this as unknown as { tensorMap: { get(id: DataId): { values: unknown } | undefined } }
      ).tensorMap.get(dataId);
      if (!this.canReadSync && data && data.values == null) {
        throw new NutshellError(
          'webgpu: dataSync()/arraySync() cannot read a tensor from the GPU in Node (Dawn reads are asynchronous). ' +
            'Use await tensor.data() / await tensor.array(), or read(t) from @nutshell/tensor.',
        );
      }
      return super.readSync(dataId);
    }
  }
  defined.set(Base, GuardedWebGPUBackend as unknown as WebGPUBackendClass);
  return GuardedWebGPUBackend;
}
