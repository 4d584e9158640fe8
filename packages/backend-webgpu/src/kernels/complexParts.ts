// Real and Imag keep the complex tensor's shape. tfjs-backend-webgpu 4.22 returns the stored part as it was
// made, and its FFT makes the parts 2-D ([batch, n]) before reshaping the complex result back: `tf.real` of an
// FFT of a [B, rows, cols] tensor then came out [B·rows, cols], and `conv2d(..., {algorithm: 'fft'})` failed
// with "rank of input 2 must match length of perm 0,2,1". The cpu backend returns the input's shape.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelReplacement } from '@nutshell/backend';
import { tf } from '@nutshell/backend';

function shapedPart(kernelName: 'Real' | 'Imag'): KernelReplacement {
  return {
    kernelName,
    why: `tfjs's ${kernelName} returns the part in the shape the FFT made it (2-D), not the complex tensor's shape`,
    make(previous: KernelFunc | undefined): KernelConfig {
      if (!previous)
        throw new Error(`complexParts: tfjs-backend-webgpu registers no ${kernelName} kernel to build on.`);
      const kernelFunc: KernelFunc = (args) => {
        const input = args.inputs.input as TensorInfo;
        const part = previous(args) as TensorInfo;
        if (part.shape.length === input.shape.length && part.shape.every((d, i) => d === input.shape[i]))
          return part;
        const reshape = tf.getKernel('Reshape', 'webgpu')!.kernelFunc;
        const out = reshape({
          inputs: { x: part },
          backend: args.backend,
          attrs: { shape: [...input.shape] },
        }) as TensorInfo;
        (args.backend as { disposeData(id: object): void }).disposeData(part.dataId);
        return out;
      };
      return { kernelName, backendName: 'webgpu', kernelFunc };
    },
  };
}

/** Real and Imag in the complex input's shape. */
export const complexParts: readonly KernelReplacement[] = [shapedPart('Real'), shapedPart('Imag')];
