import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tf } from '@nutshell/backend';
import { DEFAULT_CUDA_HINT_DIRS, defaultLoaderDirs, findLibraries, type FoundLibrary } from './cudaLibraries.js';
import { DRIVER_VERSION_FILE, detectNvidiaDriver, type NvidiaDriver } from './nvidiaDriver.js';
import { findPeer, type PeerInstall, type TfjsNodePackage } from './peerPackage.js';
import { CUDA_REQUIREMENTS as REQ, compareVersions } from './requirements.js';

/**
 * Where the probe looks. Every field has a default that inspects the real machine; tests point them at
 * fixture directories laid out like a real install.
 * @public
 */
export interface CudaProbeOptions {
  /** The directory the peer package is resolved from, as Node would (default: this package's own location). */
  readonly resolveFrom?: string;
  /** The kernel driver's version file (default `/proc/driver/nvidia/version`). */
  readonly driverVersionFile?: string;
  /** The `nvidia-smi` command, or `false` not to run it (default `'nvidia-smi'`). */
  readonly nvidiaSmi?: string | false;
  /** The directories the dynamic loader searches (default: LD_LIBRARY_PATH, the `ldconfig -p` cache, /lib, /usr/lib). */
  readonly libraryDirs?: readonly string[];
  /** Other directories where CUDA is often installed, searched only to say what was found (default /usr/local/cuda*). */
  readonly cudaHintDirs?: readonly string[];
}

/**
 * The name of one probe check, in the order they run.
 * @public
 */
export type ProbeCheck = 'peer' | 'binding' | 'driver' | 'cuda-runtime' | 'cudnn' | 'tensorflow';

/**
 * The outcome of one probe check.
 * @public
 */
export interface ProbeStep {
  /** Which check. */
  readonly check: ProbeCheck;
  /** Whether it passed. */
  readonly ok: boolean;
  /** What was found, as a sentence (on failure: why it fails). */
  readonly message: string;
  /** What to do about a failure, as a sentence. */
  readonly fix?: string;
}

/**
 * Everything the probe found, check by check; the checks stop at the first failure.
 * @public
 */
export interface Diagnosis {
  /** Whether every check passed. */
  readonly usable: boolean;
  /** The checks that ran, in order; on failure the last one is the failure. */
  readonly steps: readonly ProbeStep[];
  /** The installed peer package, when found. */
  readonly peer?: PeerInstall;
  /** The NVIDIA driver, when found. */
  readonly driver?: NvidiaDriver;
  /** CUDA runtime libraries found on disk (any version), when that check ran. */
  readonly cudaRuntimes?: readonly FoundLibrary[];
  /** cuDNN libraries found on disk (any version), when that check ran. */
  readonly cudnns?: readonly FoundLibrary[];
  /** Whether libtensorflow placed its work on a GPU, when that check ran. */
  readonly tensorflowOnGpu?: boolean;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const WEBGPU_ALTERNATIVE =
  'use @nutshell/backend-webgpu instead: in Node it runs on the Vulkan driver that ships with every current NVIDIA driver.';
const INSTALL_GPU =
  `On Linux x64 with CUDA ${REQ.cuda} and cuDNN ${REQ.cudnn}: npm install @tensorflow/tfjs-node-gpu@${REQ.tfjsNodeGpu} ` +
  `(its install script downloads libtensorflow ${REQ.libtensorflow} from storage.googleapis.com). ` +
  `On CUDA 12 or 13, ${WEBGPU_ALTERNATIVE}`;

class Steps {
  readonly list: ProbeStep[] = [];
  pass(check: ProbeCheck, message: string): void {
    this.list.push({ check, ok: true, message });
  }
  fail(check: ProbeCheck, message: string, fix: string): false {
    this.list.push({ check, ok: false, message, fix });
    return false;
  }
}

function checkPeer(steps: Steps, name: TfjsNodePackage, from: string, install: string): PeerInstall | undefined {
  const peer = findPeer(name, from);
  if (!peer) {
    steps.fail('peer', `${name} is not installed (it is an optional peer dependency of @nutshell/backend-cuda).`, install);
    return undefined;
  }
  if (peer.version !== REQ.tfjsNodeGpu) {
    steps.fail(
      'peer',
      `${name} ${peer.version} is installed at ${peer.dir}, but Nutshell needs ${REQ.tfjsNodeGpu}, the release that ` +
        `matches @tensorflow/tfjs-core ${REQ.tfjsNodeGpu}.`,
      `npm install ${name}@${REQ.tfjsNodeGpu}`,
    );
    return undefined;
  }
  steps.pass('peer', `${name} ${peer.version} is installed at ${peer.dir}.`);
  return peer;
}

function checkBinding(steps: Steps, peer: PeerInstall): boolean {
  const rebuild = `Run npm rebuild ${peer.packageName} with access to storage.googleapis.com (do not install with --ignore-scripts).`;
  if (!peer.bindingExists) {
    return steps.fail(
      'binding',
      `${peer.packageName} is installed but its native binding ${peer.bindingPath} is missing: its install script did ` +
        `not run (installed with --ignore-scripts, or offline) or failed to download libtensorflow ${REQ.libtensorflow}.`,
      rebuild,
    );
  }
  if (!peer.libtensorflow) {
    return steps.fail(
      'binding',
      `${peer.packageName}'s native binding exists but libtensorflow is missing from ${peer.dir}/deps/lib: ` +
        `the download of libtensorflow ${REQ.libtensorflow} did not finish.`,
      rebuild,
    );
  }
  steps.pass('binding', `Native binding ${peer.bindingPath} and ${peer.libtensorflow} are present.`);
  return true;
}

function checkDriver(steps: Steps, driver: NvidiaDriver | undefined, file: string): boolean {
  if (!driver) {
    return steps.fail(
      'driver',
      `No NVIDIA driver found: ${file} does not exist and nvidia-smi did not run. CUDA ${REQ.cuda} needs driver ` +
        `${REQ.minDriver} or newer.`,
      `Install the NVIDIA driver (${REQ.recommendedDriver} or newer); in a container, start it with the NVIDIA ` +
        `Container Toolkit (docker run --gpus all). Without an NVIDIA GPU, use @nutshell/backend-wasm or @nutshell/backend-webgpu.`,
    );
  }
  const supports = driver.maxCuda ? ` (supports up to CUDA ${driver.maxCuda})` : '';
  if (compareVersions(driver.version, REQ.minDriver) < 0) {
    return steps.fail(
      'driver',
      `NVIDIA driver ${driver.version}${supports} is too old: CUDA ${REQ.cuda} needs ${REQ.minDriver} or newer.`,
      `Upgrade the NVIDIA driver to ${REQ.recommendedDriver} or newer.`,
    );
  }
  steps.pass('driver', `NVIDIA driver ${driver.version}${supports}, read from ${driver.source}; CUDA ${REQ.cuda} needs ${REQ.minDriver} or newer.`);
  return true;
}

function describeFound(libs: readonly FoundLibrary[]): string {
  return libs.map((l) => `${l.dir}/${l.file}`).join(', ');
}

function checkLibrary(
  steps: Steps,
  check: 'cuda-runtime' | 'cudnn',
  soname: string,
  libs: readonly FoundLibrary[],
  searched: readonly string[],
): boolean {
  const what = check === 'cuda-runtime' ? `the CUDA ${REQ.cuda} runtime` : `cuDNN ${REQ.cudnn}`;
  const product = check === 'cuda-runtime' ? 'CUDA' : 'cuDNN';
  const exact = libs.filter((l) => l.file === soname);
  const loadable = exact.find((l) => l.loadable);
  if (loadable) {
    steps.pass(check, `${soname} (${what}) is loadable from ${loadable.dir}.`);
    return true;
  }
  const installFix =
    `Install ${what} (CUDA ${REQ.cuda} runtime and cuDNN ${REQ.cudnn} can sit beside a newer CUDA) and add its lib64 ` +
    `directory to LD_LIBRARY_PATH, or ${WEBGPU_ALTERNATIVE}`;
  if (exact.length > 0) {
    return steps.fail(
      check,
      `${soname} is installed in ${exact[0].dir}, but the dynamic loader does not search that directory.`,
      `export LD_LIBRARY_PATH=${exact[0].dir}:$LD_LIBRARY_PATH (or add it to /etc/ld.so.conf.d and run ldconfig).`,
    );
  }
  const others = libs.filter((l) => l.file !== soname);
  const newer = others.filter((l) => l.major > Number(soname.split('.so.')[1]?.split('.')[0] ?? 0));
  if (newer.length > 0) {
    const majors = [...new Set(newer.map((l) => l.major))].join(' and ');
    return steps.fail(
      check,
      `${soname} was not found; this machine has ${product} ${majors} (${describeFound(newer)}). ` +
        `tfjs-node-gpu ${REQ.tfjsNodeGpu} is built against CUDA ${REQ.cuda} and cuDNN ${REQ.cudnn} and cannot use ` +
        `${product} ${majors}; there is no newer tfjs-node-gpu release.`,
      installFix,
    );
  }
  const also = others.length > 0 ? ` Found only ${describeFound(others)}.` : '';
  return steps.fail(check, `${soname} (${what}) was not found in ${searched.join(', ')}.${also}`, installFix);
}

interface Loaded {
  readonly error?: string;
  readonly backend?: { isUsingGpuDevice?: boolean; isGPUPackage?: boolean } | null;
}
const loads = new Map<string, Promise<Loaded>>();

/**
 * Imports the peer once (it registers tfjs's 'tensorflow' backend and makes it current as a side effect, which is
 * undone here so probing never changes the current backend).
 */
function loadPeer(peer: PeerInstall): Promise<Loaded> {
  let load = loads.get(peer.entry);
  if (!load) {
    load = (async () => {
      const before = tf.getBackend();
      try {
        await import(/* @vite-ignore */ pathToFileURL(peer.entry).href);
        return { backend: tf.engine().findBackend('tensorflow') as Loaded['backend'] };
      } catch (e) {
        return { error: (e as Error).message.split('\n')[0] };
      } finally {
        if (before && tf.getBackend() !== before) await tf.setBackend(before);
      }
    })();
    loads.set(peer.entry, load);
  }
  return load;
}

async function checkTensorflow(steps: Steps, peer: PeerInstall, wantGpu: boolean): Promise<boolean | undefined> {
  const loaded = await loadPeer(peer);
  if (loaded.error !== undefined) {
    steps.fail(
      'tensorflow',
      `Loading ${peer.packageName} failed: ${loaded.error}`,
      `Run npm rebuild ${peer.packageName}; if the message names a missing library, install it or add its directory to LD_LIBRARY_PATH.`,
    );
    return undefined;
  }
  if (!loaded.backend) {
    steps.fail(
      'tensorflow',
      `${peer.packageName} loaded but did not register a 'tensorflow' backend with the @tensorflow/tfjs-core Nutshell uses: ` +
        `more than one copy of tfjs-core is installed.`,
      `Run npm ls @tensorflow/tfjs-core and keep a single @tensorflow/tfjs-core@${REQ.tfjsNodeGpu} (npm dedupe).`,
    );
    return undefined;
  }
  const onGpu = loaded.backend.isUsingGpuDevice === true;
  if (wantGpu && !onGpu) {
    steps.fail(
      'tensorflow',
      `libtensorflow ${REQ.libtensorflow} loaded but sees no GPU and would run on the CPU; its log lines above ` +
        `("Could not load dynamic library ...") name the CUDA ${REQ.cuda} library it could not open (libcublas.so.11, ` +
        `libcufft.so.10, ...), or CUDA_VISIBLE_DEVICES hides the GPU.`,
      `Install the full CUDA ${REQ.cuda} runtime libraries on LD_LIBRARY_PATH and check CUDA_VISIBLE_DEVICES; ` +
        `to use libtensorflow on the CPU instead, install @tensorflow/tfjs-node and select the 'tensorflow' backend.`,
    );
    return onGpu;
  }
  steps.pass('tensorflow', onGpu ? 'libtensorflow runs on the GPU.' : `libtensorflow ${REQ.libtensorflow} runs on the CPU.`);
  return onGpu;
}

/**
 * Checks, in order, everything `@tensorflow/tfjs-node-gpu` needs, stopping at the first failure: the peer
 * package is installed; its native binding exists (its install script ran); the NVIDIA driver is present;
 * `libcudart.so.11.0` and `libcudnn.so.8` are loadable; libtensorflow sees a GPU. Each step says what it found
 * and what is required.
 * @public
 */
export async function diagnoseCuda(options: CudaProbeOptions = {}): Promise<Diagnosis> {
  const steps = new Steps();
  const peer = checkPeer(steps, '@tensorflow/tfjs-node-gpu', options.resolveFrom ?? HERE, INSTALL_GPU);
  if (!peer) return { usable: false, steps: steps.list };
  if (!checkBinding(steps, peer)) return { usable: false, steps: steps.list, peer };

  const file = options.driverVersionFile ?? DRIVER_VERSION_FILE;
  const driver = detectNvidiaDriver(file, options.nvidiaSmi ?? 'nvidia-smi');
  if (!checkDriver(steps, driver, file)) return { usable: false, steps: steps.list, peer, driver };

  const loaderDirs = options.libraryDirs ?? defaultLoaderDirs();
  const hintDirs = options.cudaHintDirs ?? DEFAULT_CUDA_HINT_DIRS;
  const cudaRuntimes = findLibraries('libcudart', loaderDirs, hintDirs);
  const partial = { peer, driver, cudaRuntimes };
  if (!checkLibrary(steps, 'cuda-runtime', REQ.cudartSoname, cudaRuntimes, loaderDirs)) return { usable: false, steps: steps.list, ...partial };
  const cudnns = findLibraries('libcudnn', loaderDirs, hintDirs);
  if (!checkLibrary(steps, 'cudnn', REQ.cudnnSoname, cudnns, loaderDirs)) return { usable: false, steps: steps.list, ...partial, cudnns };

  const tensorflowOnGpu = await checkTensorflow(steps, peer, true);
  return { usable: tensorflowOnGpu === true, steps: steps.list, ...partial, cudnns, tensorflowOnGpu };
}

/**
 * Checks what `@tensorflow/tfjs-node` (libtensorflow on the CPU) needs: the peer is installed, its native
 * binding exists, and it loads.
 * @public
 */
export async function diagnoseTensorflow(options: Pick<CudaProbeOptions, 'resolveFrom'> = {}): Promise<Diagnosis> {
  const steps = new Steps();
  const install =
    `npm install @tensorflow/tfjs-node@${REQ.tfjsNodeGpu} (Linux x64, macOS or Windows; its install script downloads ` +
    `libtensorflow ${REQ.libtensorflow} from storage.googleapis.com).`;
  const peer = checkPeer(steps, '@tensorflow/tfjs-node', options.resolveFrom ?? HERE, install);
  if (!peer) return { usable: false, steps: steps.list };
  if (!checkBinding(steps, peer)) return { usable: false, steps: steps.list, peer };
  const onGpu = await checkTensorflow(steps, peer, false);
  return { usable: onGpu !== undefined, steps: steps.list, peer, tensorflowOnGpu: onGpu };
}
