import { NutshellError } from '@nutshell/backend';

/**
 * A Dawn backend the Node runtime can be forced onto. Dawn is the WebGPU implementation of the `webgpu`
 * npm package; in browsers the browser picks and this is ignored.
 * @public
 */
export type DawnBackend = 'vulkan' | 'opengles' | 'metal' | 'd3d12' | 'd3d11';

/** The Dawn backends users may name, in the order they are listed in messages. */
export const DAWN_BACKENDS: readonly DawnBackend[] = ['vulkan', 'opengles', 'metal', 'd3d12', 'd3d11'];

/**
 * How the WebGPU plugin picks its adapter and runs small ops.
 * @public
 */
export interface WebGpuOptions {
  /**
   * Node only: which Dawn backend to use. `'auto'` (the default) tries Vulkan, then OpenGL ES at the
   * compatibility feature level, on Linux, and Dawn's own default elsewhere. The environment variable
   * `NUTSHELL_WEBGPU_BACKEND` (`vulkan` or `opengles`, ...) overrides the default but not this option.
   */
  readonly dawnBackend?: DawnBackend | 'auto';
  /**
   * tfjs's `WEBGPU_CPU_FORWARD`: when true (the tfjs default) an op whose inputs are small and still on the
   * CPU runs on the CPU; false keeps every op on the GPU ("small ops stay on the GPU"). The environment
   * variable `NUTSHELL_WEBGPU_CPU_FORWARD=false` sets the default.
   */
  readonly cpuForward?: boolean;
  /** Which adapter to ask for when several exist. Default `'high-performance'`. */
  readonly powerPreference?: 'high-performance' | 'low-power';
  /**
   * The `'auto'` priority given to a software adapter (lavapipe, llvmpipe, SwiftShader, WARP). Default 0.5:
   * below the cpu (1) and wasm (20) backends, which are faster than a GPU emulated on the same CPU.
   */
  readonly softwarePriority?: number;
}

/** Options with every default filled in and checked. */
export interface ResolvedWebGpuOptions {
  readonly dawnBackend: DawnBackend | 'auto';
  /** Where `dawnBackend` came from, for messages. */
  readonly dawnBackendSource: 'option' | 'NUTSHELL_WEBGPU_BACKEND' | 'default';
  readonly cpuForward: boolean;
  readonly powerPreference: 'high-performance' | 'low-power';
  readonly softwarePriority: number;
}

/** The priority a hardware adapter gets: above wasm (20) and cpu (1), below native tensorflow (40) and cuda (100). */
export const HARDWARE_PRIORITY = 30;
/** The default priority of a software adapter: below cpu (1) and wasm (20). */
export const SOFTWARE_PRIORITY = 0.5;

function env(name: string): string | undefined {
  const value = typeof process !== 'undefined' ? process.env?.[name] : undefined;
  return value && value.trim() ? value.trim() : undefined;
}

/**
 * Fills in defaults (from the environment when `readEnv`) and checks every option; a bad value is a
 * `NutshellError` naming the option or variable, the value and what was expected.
 */
export function resolveOptions(options: WebGpuOptions = {}, readEnv = true): ResolvedWebGpuOptions {
  const fromEnv = readEnv ? env('NUTSHELL_WEBGPU_BACKEND')?.toLowerCase() : undefined;
  const dawnBackend = options.dawnBackend ?? fromEnv ?? 'auto';
  const source = options.dawnBackend !== undefined ? 'option' : fromEnv !== undefined ? 'NUTSHELL_WEBGPU_BACKEND' : 'default';
  if (dawnBackend !== 'auto' && !DAWN_BACKENDS.includes(dawnBackend as DawnBackend)) {
    const what = source === 'option' ? 'option dawnBackend' : 'NUTSHELL_WEBGPU_BACKEND';
    throw new NutshellError(
      `webgpu: ${what} is '${dawnBackend}'; expected 'auto' or one of ${DAWN_BACKENDS.map((b) => `'${b}'`).join(', ')}.`,
    );
  }
  const forwardEnv = readEnv ? env('NUTSHELL_WEBGPU_CPU_FORWARD')?.toLowerCase() : undefined;
  if (forwardEnv !== undefined && forwardEnv !== 'true' && forwardEnv !== 'false') {
    throw new NutshellError(`webgpu: NUTSHELL_WEBGPU_CPU_FORWARD is '${forwardEnv}'; expected 'true' or 'false'.`);
  }
  const cpuForward = options.cpuForward ?? (forwardEnv === undefined ? true : forwardEnv === 'true');
  const powerPreference = options.powerPreference ?? 'high-performance';
  if (powerPreference !== 'high-performance' && powerPreference !== 'low-power') {
    throw new NutshellError(
      `webgpu: option powerPreference is '${String(powerPreference)}'; expected 'high-performance' or 'low-power'.`,
    );
  }
  const softwarePriority = options.softwarePriority ?? SOFTWARE_PRIORITY;
  if (!Number.isFinite(softwarePriority)) {
    throw new NutshellError(`webgpu: option softwarePriority is ${softwarePriority}; expected a finite number.`);
  }
  return { dawnBackend: dawnBackend as DawnBackend | 'auto', dawnBackendSource: source, cpuForward, powerPreference, softwarePriority };
}
