// How many threads the native kernels use: an option, else NUTSHELL_NATIVE_THREADS, else every core.
import { NativeConfigError } from './errors.js';

let chosen: number | undefined;

/** The cores Node may use (os.availableParallelism), or 1 where it cannot be asked. */
async function cores(): Promise<number> {
  try {
    const nodeOs = 'node:os';
    const os = (await import(/* @vite-ignore */ nodeOs)) as typeof import('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  } catch {
    return 1;
  }
}

function parseThreads(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1024) {
    throw new NativeConfigError(
      `native backend: ${where} must be a whole number of threads from 1 to 1024, got ${JSON.stringify(value)}.`,
    );
  }
  return n;
}

/** Sets the thread count (validated); `undefined` goes back to the environment variable or the core count. */
export function chooseThreads(threads: number | undefined): void {
  chosen = threads === undefined ? undefined : parseThreads(threads, 'threads');
}

/** The thread count to use now, and where it came from. */
export async function resolveThreads(): Promise<{ threads: number; source: string }> {
  if (chosen !== undefined) return { threads: chosen, source: 'configureNative({ threads })' };
  const env = typeof process !== 'undefined' ? process.env.NUTSHELL_NATIVE_THREADS : undefined;
  if (env !== undefined && env !== '')
    return { threads: parseThreads(env, 'NUTSHELL_NATIVE_THREADS'), source: 'NUTSHELL_NATIVE_THREADS' };
  return { threads: await cores(), source: 'one per core' };
}

/** The time constant of the kernel's 1-minute load average, in seconds. */
const LOAD_TAU_S = 60;

/**
 * This process's own share of the 1-minute load average: its running threads (CPU seconds per second), averaged
 * with the kernel's time constant so that it can be taken off `os.loadavg()[0]`. Without that, a process whose
 * two threads keep both cores busy reads a load of 2 and concludes that no core is free for its second thread.
 */
export class OwnLoad {
  private average: number;
  private lastCpu: number;
  private lastAt: number;

  /** `cpuSeconds` used so far, `uptimeSeconds` since the process started (both from `process`). */
  constructor(cpuSeconds: number, uptimeSeconds: number) {
    // As if the process had used its CPU evenly since it started.
    this.average =
      uptimeSeconds > 0 ? (cpuSeconds / uptimeSeconds) * (1 - Math.exp(-uptimeSeconds / LOAD_TAU_S)) : 0;
    this.lastCpu = cpuSeconds;
    this.lastAt = uptimeSeconds;
  }

  /** Takes the CPU seconds used by `uptimeSeconds`, and returns the averaged count of running threads. */
  update(cpuSeconds: number, uptimeSeconds: number): number {
    const dt = uptimeSeconds - this.lastAt;
    if (dt <= 0) return this.average;
    const decay = Math.exp(-dt / LOAD_TAU_S);
    this.average = this.average * decay + ((cpuSeconds - this.lastCpu) / dt) * (1 - decay);
    this.lastCpu = cpuSeconds;
    this.lastAt = uptimeSeconds;
    return this.average;
  }
}

/**
 * Whether the other processes leave a core free for extra threads: the load average less this process's own share
 * stays one and a half cores below the core count (one core for this process's main thread, half a core of slack).
 * With this process's share at 1 that is the rule "load average below cores − 0.5".
 */
export function coreFreeFor(loadAverage: number, own: number, cores: number): boolean {
  return loadAverage - own < cores - 1.5;
}
