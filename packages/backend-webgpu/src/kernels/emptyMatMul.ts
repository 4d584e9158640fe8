// A matrix product whose shared dimension is 0 is all zeros (an empty sum), as on the cpu backend.
// tfjs-backend-webgpu 4.22 binds the zero-size input as a zero-size buffer, which WebGPU refuses ("Binding size
// ... is zero"), so `Dense.apply` of a [batch, 0] input failed. Those products are answered here; every other
// product goes to tfjs's kernel.
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelReplacement } from '@nutshell/backend';

/** The broadcast of two batch shapes, aligned on the right (numpy rules). */
function broadcastBatch(x: readonly number[], y: readonly number[]): number[] {
  const rank = Math.max(x.length, y.length);
  return Array.from({ length: rank }, (_, i) => {
    const dx = x[i - (rank - x.length)] ?? 1;
    const dy = y[i - (rank - y.length)] ?? 1;
    return dx === 1 ? dy : dx;
  });
}

/** BatchMatMul for webgpu: zeros when the shared dimension is 0, tfjs's program otherwise. */
export const emptyMatMul: KernelReplacement = {
  kernelName: 'BatchMatMul',
  why: 'tfjs binds a zero-size input as a zero-size buffer, which WebGPU refuses, when the shared dimension is 0',
  make(previous: KernelFunc | undefined): KernelConfig {
    if (!previous)
      throw new Error('emptyMatMul: tfjs-backend-webgpu registers no BatchMatMul kernel to build on.');
    const kernelFunc: KernelFunc = (args) => {
      const a = args.inputs.a as TensorInfo;
      const b = args.inputs.b as TensorInfo;
      const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
      const inner = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
      if (inner !== 0) return previous(args);
      const rows = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
      const cols = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
      const shape = [...broadcastBatch(a.shape.slice(0, -2), b.shape.slice(0, -2)), rows, cols];
      const size = shape.reduce((x, y) => x * y, 1);
      const backend = args.backend as { makeTensorInfo(s: number[], d: string, v: Float32Array): TensorInfo };
      return backend.makeTensorInfo(shape, 'float32', new Float32Array(size));
    };
    return { kernelName: 'BatchMatMul', backendName: 'webgpu', kernelFunc };
  },
};
