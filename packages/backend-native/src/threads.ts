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
