import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * What was found of the NVIDIA driver and its GPUs.
 * @public
 */
export interface NvidiaDriver {
  /** The kernel driver version, e.g. `'535.104.05'`. */
  readonly version: string;
  /** Where the version was read: the proc file or `nvidia-smi`. */
  readonly source: string;
  /** The newest CUDA the driver supports, from `nvidia-smi`'s header (e.g. `'12.2'`), when it could be run. */
  readonly maxCuda?: string;
  /** The GPUs `nvidia-smi` lists, when it could be run. */
  readonly gpus: readonly NvidiaGpu[];
}

/**
 * One GPU as `nvidia-smi` reports it.
 * @public
 */
export interface NvidiaGpu {
  /** Its marketing name, e.g. `'NVIDIA H100 80GB HBM3'`. */
  readonly name: string;
  /** Total memory in MiB. */
  readonly memoryTotalMiB: number;
  /** Memory in use in MiB (all processes). */
  readonly memoryUsedMiB: number;
}

/** The default place the kernel module publishes its version. */
export const DRIVER_VERSION_FILE = '/proc/driver/nvidia/version';

const SMI_TIMEOUT_MS = 10_000;

/**
 * Reads the kernel driver version from the proc file's `NVRM version:` line (proprietary or open module).
 * Returns `undefined` for text that carries no version.
 */
export function parseDriverVersionFile(text: string): string | undefined {
  const m = /NVRM version:.*?Kernel Module(?: for \S+)?\s+(\d+\.\d+(?:\.\d+)?)/.exec(text);
  return m?.[1];
}

/** Parses `nvidia-smi --query-gpu=name,memory.total,memory.used,driver_version --format=csv,noheader,nounits`. */
export function parseSmiQuery(text: string): { gpus: NvidiaGpu[]; driver?: string } {
  const gpus: NvidiaGpu[] = [];
  let driver: string | undefined;
  for (const line of text.split('\n')) {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < 4 || !cells[0]) continue;
    gpus.push({ name: cells[0], memoryTotalMiB: Number(cells[1]), memoryUsedMiB: Number(cells[2]) });
    driver ??= cells[3];
  }
  return { gpus, driver };
}

/** The `CUDA Version: 12.2` field of `nvidia-smi`'s table header: the newest CUDA the driver can run. */
export function parseSmiCudaVersion(text: string): string | undefined {
  return /CUDA Version:\s*(\d+\.\d+)/.exec(text)?.[1];
}

function runSmi(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: SMI_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/**
 * Looks for the NVIDIA driver: the proc file first, then `nvidia-smi` (which also names the GPUs).
 * `nvidiaSmi: false` skips running it. Returns `undefined` when neither shows a driver.
 */
export function detectNvidiaDriver(versionFile: string, nvidiaSmi: string | false): NvidiaDriver | undefined {
  const fromFile = existsSync(versionFile) ? parseDriverVersionFile(readFileSync(versionFile, 'utf8')) : undefined;
  const query = nvidiaSmi
    ? runSmi(nvidiaSmi, ['--query-gpu=name,memory.total,memory.used,driver_version', '--format=csv,noheader,nounits'])
    : undefined;
  const parsed = query ? parseSmiQuery(query) : { gpus: [] as NvidiaGpu[], driver: undefined };
  const version = fromFile ?? parsed.driver;
  if (!version) return undefined;
  const header = nvidiaSmi && query ? runSmi(nvidiaSmi, []) : undefined;
  return {
    version,
    source: fromFile ? versionFile : 'nvidia-smi',
    maxCuda: header ? parseSmiCudaVersion(header) : undefined,
    gpus: parsed.gpus,
  };
}
