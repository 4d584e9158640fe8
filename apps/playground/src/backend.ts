// Which backend the playground trains on: WebGPU when the browser has a usable adapter, otherwise wasm,
// otherwise the CPU, with a notice that says why. `?backend=wasm|cpu|webgpu` forces one.
import { backendInfo, useBackend } from '@nutshell/backend';
import { setWasmPaths, wasmBackend } from '@nutshell/backend-wasm';
import { webgpuBackend } from '@nutshell/backend-webgpu';

export interface BackendChoice {
  readonly name: string;
  /** The device in words. */
  readonly device: string;
  /** Shown to the user when the choice is not a hardware GPU: why, and what it means. */
  readonly notice?: string;
}

export async function chooseBackend(base: string, forced?: string | null): Promise<BackendChoice> {
  setWasmPaths(`${new URL(`${base}wasm/`, location.href).href}`);
  if (forced) {
    await useBackend(forced);
    return { name: forced, device: backendInfo().device, notice: `Backend forced with ?backend=${forced}.` };
  }
  const gpu = await webgpuBackend.probe();
  if (gpu.usable) {
    await useBackend(webgpuBackend);
    const adapter = webgpuBackend.adapterInfo();
    return {
      name: 'webgpu',
      device: backendInfo().device,
      ...(adapter?.isSoftware
        ? {
            notice:
              'WebGPU is running on a software adapter (the GPU is emulated on the CPU): training is correct but slow. ' +
              'A browser with a hardware GPU trains much faster.',
          }
        : {}),
    };
  }
  const why = `WebGPU is not available: ${gpu.reason} ${gpu.fix}`;
  const wasm = await wasmBackend.probe();
  if (wasm.usable) {
    await useBackend(wasmBackend);
    return { name: 'wasm', device: backendInfo().device, notice: `${why} Training on WebAssembly (wasm) instead.` };
  }
  await useBackend('cpu');
  return {
    name: 'cpu',
    device: backendInfo().device,
    notice: `${why} WebAssembly is not usable either (${wasm.reason}); training on the plain JavaScript CPU backend.`,
  };
}
