// tfjs-backend-webgpu 4.22 writes some programs (PadV2, MirrorPad, StridedSlice) with the output coordinates as a
// `vec5`/`vec6` struct that it then indexes like a vector: invalid WGSL, so Dawn rejects the shader at rank 5 and 6.
// The same programs are valid at rank 3. Each of these ops acts on every axis independently (an output coordinate
// along an axis depends only on that axis's input coordinate), so it can be applied one axis at a time, each time
// to a rank-3 view [before, axis, after] of the tensor: a reshape, which on WebGPU moves no data.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '@nutshell/backend';

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** One axis's step: the axis, its length afterwards, and the rank-3 op that produces it from the view. */
export interface AxisStep {
  readonly axis: number;
  readonly length: number;
  readonly run: (view: TensorInfo) => TensorInfo;
}

/**
 * Applies `steps` in order to `x`, each through a rank-3 view of the axis it changes, and returns the result in
 * `finalShape` (default: `x`'s shape with each step's axis at its new length). Intermediates are freed.
 */
export function throughRank3Views(
  x: TensorInfo,
  backend: unknown,
  steps: readonly AxisStep[],
  finalShape?: readonly number[],
): TensorInfo {
  const reshape = tf.getKernel('Reshape', 'webgpu')!.kernelFunc as KernelFunc;
  const view = (t: TensorInfo, shape: readonly number[]) =>
    reshape({ inputs: { x: t }, backend: backend as never, attrs: { shape: [...shape] } }) as TensorInfo;
  const temporaries: TensorInfo[] = [];
  const shape = [...x.shape];
  let current = x;
  for (const { axis, length, run } of steps) {
    const v = view(current, [product(shape.slice(0, axis)), shape[axis], product(shape.slice(axis + 1))]);
    const out = run(v);
    temporaries.push(v, out);
    shape[axis] = length;
    current = out;
  }
  const result = view(current, finalShape ?? shape);
  for (const t of temporaries) (backend as { disposeData(id: object): void }).disposeData(t.dataId);
  return result;
}
