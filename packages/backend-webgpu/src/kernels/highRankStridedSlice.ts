// StridedSlice on webgpu. tfjs-backend-webgpu 4.22's StridedSliceProgram is invalid WGSL at rank 5 and 6 ("cannot
// index type 'vec5'"), and with a shrunk axis at any rank (`@nutshell/backend`'s plainStridedSlice says why). Below
// rank 5 the slice is handed to tfjs's kernel as a plain slice; from rank 5 up, a strided slice takes, along each axis,
// `size` elements from `begin` in steps of `stride`, independently of the other axes, so it runs one axis at a time
// through rank-3 views (rank3Views.ts) with tfjs's rank-3 kernel.
import type { KernelConfig, KernelFunc, StridedSliceAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelReplacement } from '@nutshell/backend';
import { axisRanges, plainSliceAttrs, plainStridedSliceKernel } from '@nutshell/backend';
import { type AxisStep, throughRank3Views } from './rank3Views.js';

function stridedSliceAxisByAxis(previous: KernelFunc): KernelFunc {
  const plain = plainStridedSliceKernel('webgpu').make(previous).kernelFunc;
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.shape.length < 5) return plain(args);
    const r = axisRanges(x.shape, args.attrs as unknown as StridedSliceAttrs);
    if (r.simple) return previous(args);
    const steps: AxisStep[] = [];
    x.shape.forEach((dim, axis) => {
      const size = r.sizes[axis];
      if (r.begin[axis] === 0 && r.strides[axis] === 1 && size === dim) return;
      const one = plainSliceAttrs({
        ...r,
        begin: [0, r.begin[axis], 0],
        strides: [1, r.strides[axis], 1],
        sizes: [0, size, 0],
      });
      steps.push({
        axis,
        length: size,
        run: (view) =>
          previous({
            inputs: { x: view },
            backend: args.backend,
            attrs: { ...one, end: [view.shape[0], one.end[1], view.shape[2]] } as never,
          }) as TensorInfo,
      });
    });
    return throughRank3Views(x, args.backend, steps, r.finalShape);
  };
}

/** StridedSlice for webgpu: a plain slice for tfjs's kernel below rank 5, axis by axis through rank-3 views above. */
export const highRankStridedSlice: KernelReplacement = {
  kernelName: 'StridedSlice',
  why: "tfjs's StridedSliceProgram is invalid WGSL at rank ≥ 5 ('cannot index type vec5') and with a shrunk axis",
  make(previous: KernelFunc | undefined): KernelConfig {
    if (!previous)
      throw new Error(
        'highRankStridedSlice: tfjs-backend-webgpu registers no StridedSlice kernel to build on.',
      );
    return {
      kernelName: 'StridedSlice',
      backendName: 'webgpu',
      kernelFunc: stridedSliceAxisByAxis(previous),
    };
  },
};
