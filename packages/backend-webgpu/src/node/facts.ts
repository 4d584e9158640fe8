// Gathers what is installed when Dawn gives no adapter, so the probe can say what is missing.
// Runs only on that failure path: it reads driver libraries and starts one short child process per backend.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { DawnAttempt, VulkanDriverFact } from '../diagnosis.js';

const LIB_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/lib64',
  '/lib',
  '/usr/local/lib',
];

function libDirs(): string[] {
  const extra = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  return [...extra, ...LIB_DIRS];
}

/** The first `name` found in the library folders, or null. */
export function findLibrary(name: string): string | null {
  for (const dir of libDirs()) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

/** VK_DRIVER_FILES / VK_ICD_FILENAMES, which replace the loader's search of the icd.d folders. */
export function icdOverride(): string | undefined {
  return process.env.VK_DRIVER_FILES || process.env.VK_ICD_FILENAMES || undefined;
}

/** The Mesa version compiled into a driver library ("Mesa 25.0.7-..."), read from its bytes. */
export function mesaVersionOf(library: string): string | undefined {
  try {
    if (statSync(library).size > 256 * 1024 * 1024) return undefined;
    const text = readFileSync(library).toString('latin1');
    return /Mesa (\d+\.\d+\.\d+)/.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/** The Vulkan drivers (ICD manifests) the loader would offer, with the Mesa version of each Mesa driver. */
export function vulkanDrivers(): VulkanDriverFact[] {
  const override = icdOverride();
  const manifests = override
    ? override.split(':').filter(Boolean)
    : ICD_DIRS.flatMap((dir) => {
        try {
          return readdirSync(dir)
            .filter((f) => f.endsWith('.json'))
            .map((f) => join(dir, f));
        } catch {
          return [];
        }
      });
  const drivers: VulkanDriverFact[] = [];
  for (const manifest of manifests) {
    let library: string | undefined;
    try {
      library = JSON.parse(readFileSync(manifest, 'utf8'))?.ICD?.library_path;
    } catch {
      continue; // a missing or unreadable manifest is not a driver
    }
    if (!library) continue;
    const path = isAbsolute(library) ? library : findLibrary(library);
    if (!path || !existsSync(path)) continue; // manifests of drivers whose library is not installed
    const name = basename(manifest)
      .replace(/\.json$/, '')
      .replace(/\.(x86_64|aarch64|i686)$/, '')
      .replace(/_icd$/, '');
    const mesaVersion = /libvulkan_|mesa/i.test(path) ? mesaVersionOf(path) : undefined;
    drivers.push({ manifest, name, ...(mesaVersion ? { mesaVersion } : {}) });
  }
  return drivers;
}

/** Dawn's own words on why a backend gave no adapter: asks again in a child process and keeps its stderr. */
export function dawnMessages(webgpuEntry: string, backend: string | undefined, featureLevel?: string): DawnAttempt {
  const script =
    `const { create } = await import(${JSON.stringify(webgpuEntry)});` +
    `const gpu = create(${JSON.stringify(backend ? [`backend=${backend}`] : [])});` +
    `const a = await gpu.requestAdapter(${JSON.stringify(featureLevel ? { featureLevel } : {})});` +
    `process.stdout.write(a ? 'adapter' : 'none');`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
    env: process.env,
  });
  const lines = `${out.stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/artificially reduced/.test(l) && !l.startsWith('- While'));
  const messages = [...new Set(lines.map((l) => l.replace(/^(Warning|Error):\s*/, '')))];
  if (out.error) messages.push(`child process failed: ${out.error.message}`);
  return { backend: backend ?? 'default', messages };
}
