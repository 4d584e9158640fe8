import {
  BackendUnavailableError,
  guardKernels,
  readSyncValues,
  tf,
  type BackendInfo,
  type BackendPlugin,
} from '@nutshell/backend';
import { diagnoseCuda, diagnoseTensorflow, type CudaProbeOptions, type Diagnosis } from './diagnose.js';
import { CUDA_REQUIREMENTS } from './requirements.js';

function toProbe(d: Diagnosis): Awaited<ReturnType<BackendPlugin['probe']>> {
  const last = d.steps[d.steps.length - 1];
  if (!d.usable) return { usable: false, reason: last.message, fix: last.fix ?? '' };
  return { usable: true, detail: d.steps.map((s) => s.message).join(' ') };
}

function memoryInfo(): Pick<BackendInfo, 'bytesInUse' | 'numTensors'> {
  const m = tf.memory();
  return { bytesInUse: m.numBytes, numTensors: m.numTensors };
}

async function activateTensorflow(name: string, d: Diagnosis): Promise<void> {
  const probe = toProbe(d);
  if (!probe.usable) throw new BackendUnavailableError(name, probe.reason, probe.fix);
  if (!(await tf.setBackend('tensorflow'))) {
    throw new BackendUnavailableError(name, "tfjs could not initialise its 'tensorflow' backend.", `Run npm rebuild ${d.peer?.packageName}.`);
  }
  // TensorFlow's GPU gathers return zeros for an index out of range (its CPU kernels throw): refuse on both.
  guardKernels('tensorflow', readSyncValues);
}

/**
 * Makes a CUDA plugin whose probe looks where `options` says (the defaults inspect this machine). Useful to
 * point the probe at another install; most users want {@link cudaBackend}.
 * @public
 */
export function createCudaBackend(options: CudaProbeOptions = {}): BackendPlugin {
  let active: Diagnosis | undefined;
  return {
    name: 'cuda',
    priority: 100,
    packageName: '@nutshell/backend-cuda',
    async probe() {
      return toProbe(await diagnoseCuda(options));
    },
    async activate() {
      const d = await diagnoseCuda(options);
      await activateTensorflow('cuda', d);
      active = d;
    },
    info() {
      const gpu = active?.driver?.gpus[0];
      const device = gpu
        ? `${gpu.name} (${gpu.memoryTotalMiB} MiB, ${gpu.memoryUsedMiB} MiB in use)`
        : active
          ? 'NVIDIA GPU (nvidia-smi unavailable: name and memory unknown)'
          : 'CUDA (not activated)';
      return {
        name: 'cuda',
        device,
        floatPrecision: 32,
        ...memoryInfo(),
        extra: {
          gpus: active?.driver?.gpus ?? [],
          driver: active?.driver?.version,
          driverMaxCuda: active?.driver?.maxCuda,
          requires: `CUDA ${CUDA_REQUIREMENTS.cuda}, cuDNN ${CUDA_REQUIREMENTS.cudnn}`,
          libtensorflow: CUDA_REQUIREMENTS.libtensorflow,
          package: active?.peer ? `${active.peer.packageName}@${active.peer.version}` : undefined,
        },
      };
    },
  };
}

/**
 * Makes a plugin for libtensorflow on the CPU through `@tensorflow/tfjs-node`, resolving the peer from
 * `options.resolveFrom`. Most users want {@link tensorflowBackend}.
 * @public
 */
export function createTensorflowBackend(options: Pick<CudaProbeOptions, 'resolveFrom'> = {}): BackendPlugin {
  let active: Diagnosis | undefined;
  return {
    name: 'tensorflow',
    priority: 40,
    packageName: '@nutshell/backend-cuda',
    async probe() {
      return toProbe(await diagnoseTensorflow(options));
    },
    async activate() {
      const d = await diagnoseTensorflow(options);
      await activateTensorflow('tensorflow', d);
      active = d;
    },
    info() {
      return {
        name: 'tensorflow',
        device: active ? `CPU (libtensorflow ${CUDA_REQUIREMENTS.libtensorflow})` : 'libtensorflow (not activated)',
        floatPrecision: 32,
        ...memoryInfo(),
        extra: { package: active?.peer ? `${active.peer.packageName}@${active.peer.version}` : undefined },
      };
    },
  };
}

/**
 * The CUDA backend: TensorFlow's own kernels on an NVIDIA GPU through the optional peer
 * `@tensorflow/tfjs-node-gpu` 4.22.0 (CUDA 11.2, cuDNN 8.1). Registered as `'cuda'` when this package is
 * imported; its probe says exactly which requirement is missing.
 * @public
 */
export const cudaBackend: BackendPlugin = createCudaBackend();

/**
 * libtensorflow on the CPU through the optional peer `@tensorflow/tfjs-node` 4.22.0, for users who have it.
 * Registered as `'tensorflow'` when this package is imported.
 * @public
 */
export const tensorflowBackend: BackendPlugin = createTensorflowBackend();
