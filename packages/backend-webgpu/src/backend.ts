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
