// Builds directories laid out like a real machine with tfjs-node-gpu installed, for the probe to inspect.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The `binary` block of @tensorflow/tfjs-node-gpu 4.22.0's package.json, verbatim (node-pre-gyp reads it). */
export const TFJS_NODE_BINARY = {
  module_name: 'tfjs_binding',
  module_path: './lib/napi-v{napi_build_version}',
  host: 'https://storage.googleapis.com/tf-builds/pre-built-binary',
  remote_path: './napi-v{napi_build_version}/{version}/',
  napi_versions: [3, 4, 5, 6, 7, 8],
};

/** The start of a 64-bit little-endian ELF shared object: enough for a file to look like a library. */
const ELF_HEADER = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]);

const TFJS_CORE = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core');

/** How the fake package's entry point behaves when imported. */
export type EntryBehaviour = 'gpu' | 'cpu' | { throws: string };

export interface FakeInstall {
  root: string;
  /** Where to resolve the peer from (a project directory). */
  project: string;
  driverVersionFile: string;
  loaderDirs: string[];
  hintDirs: string[];
  /** A fake nvidia-smi that prints what the real one prints for one H100. */
  nvidiaSmi: string;
  lib(dir: string, file: string, content?: Buffer | string): void;
  cleanup(): void;
}

export interface FakeInstallOptions {
  pkg?: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node' | null;
  version?: string;
  binding?: boolean;
  libtensorflow?: boolean;
  entry?: EntryBehaviour;
  /** Contents of /proc/driver/nvidia/version, or null for no driver. */
  driver?: string | null;
  cudart?: 'loader' | 'hint' | null;
  cudnn?: boolean;
}

export const DRIVER_535 =
  'NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\n' +
  'GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n';

function entrySource(b: EntryBehaviour, pkg: string): string {
  if (typeof b === 'object') return `throw new Error(${JSON.stringify(b.throws)});\n`;
  // What the real dist/index.js does: register the 'tensorflow' backend at priority 3 and make it current.
  return (
    `const tf = require(${JSON.stringify(TFJS_CORE)});\n` +
    `tf.registerBackend('tensorflow', () => ({ isUsingGpuDevice: ${b === 'gpu'}, isGPUPackage: ${pkg.endsWith('-gpu')},\n` +
    `  dispose() {}, numDataIds() { return 0; }, memory() { return { unreliable: false }; } }), 3);\n` +
    `if (!tf.setBackend('tensorflow')) throw new Error('Could not initialize TensorFlow backend.');\n`
  );
}

export function fakeInstall(o: FakeInstallOptions = {}): FakeInstall {
  const root = mkdtempSync(join(tmpdir(), 'nutshell-cuda-'));
  const project = join(root, 'project');
  mkdirSync(project, { recursive: true });
  const pkg = o.pkg === undefined ? '@tensorflow/tfjs-node-gpu' : o.pkg;
  const write = (path: string, content: Buffer | string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };
  if (pkg) {
    const dir = join(project, 'node_modules', pkg);
    write(join(dir, 'package.json'), JSON.stringify({ name: pkg, version: o.version ?? '4.22.0', main: 'dist/index.js', binary: TFJS_NODE_BINARY }));
    write(join(dir, 'dist', 'index.js'), entrySource(o.entry ?? 'gpu', pkg));
    if (o.binding ?? true) write(join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'), ELF_HEADER);
    if (o.libtensorflow ?? true) {
      write(join(dir, 'deps', 'lib', 'libtensorflow.so.2.9.1'), ELF_HEADER);
      write(join(dir, 'deps', 'lib', 'libtensorflow_framework.so.2.9.1'), ELF_HEADER);
    }
  }
  const driverVersionFile = join(root, 'proc', 'driver', 'nvidia', 'version');
  const driver = o.driver === undefined ? DRIVER_535 : o.driver;
  if (driver !== null) write(driverVersionFile, driver);
  const loaderDir = join(root, 'usr', 'lib', 'x86_64-linux-gnu');
  const cuda112 = join(root, 'usr', 'local', 'cuda-11.2', 'lib64');
  mkdirSync(loaderDir, { recursive: true });
  const cudart = o.cudart === undefined ? 'loader' : o.cudart;
  if (cudart) write(join(cudart === 'loader' ? loaderDir : cuda112, 'libcudart.so.11.0'), ELF_HEADER);
  if (o.cudnn ?? true) write(join(loaderDir, 'libcudnn.so.8'), ELF_HEADER);
  const nvidiaSmi = join(root, 'bin', 'nvidia-smi');
  write(
    nvidiaSmi,
    '#!/bin/sh\nif [ -n "$1" ]; then echo "NVIDIA H100 80GB HBM3, 81559, 523, 535.104.05"; else\n' +
      'echo "| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   CUDA Version: 12.2     |"; fi\n',
  );
  chmodSync(nvidiaSmi, 0o755);
  return {
    root,
    project,
    driverVersionFile,
    loaderDirs: [loaderDir],
    hintDirs: [cuda112, join(root, 'usr', 'local', 'cuda-12.4', 'lib64')],
    nvidiaSmi,
    lib: (dir, file, content = ELF_HEADER) => write(join(root, dir, file), content),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
