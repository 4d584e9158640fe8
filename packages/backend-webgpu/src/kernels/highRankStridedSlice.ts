// StridedSlice at rank 5 and 6: tfjs-backend-webgpu 4.22's StridedSliceProgram is invalid WGSL there ("cannot index
// type 'vec5'"), so the op threw a WebGpuKernelError. A strided slice takes, along each axis, `size` elements from
// `begin` in steps of `stride`, independently of the other axes, so it runs one axis at a time through rank-3 views
// (rank3Views.ts) with tfjs's own rank-3 kernel. Identity and contiguous slices go through tfjs's reshape/Slice path,
// which is valid at every rank.
import type { KernelConfig, KernelFunc, StridedSliceAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { slice_util } from '@tensorflow/tfjs-core';
import type { KernelReplacement } from '@nutshell/backend';
import { type AxisStep, throughRank3Views } from './rank3Views.js';

/** Elements a canonical [begin, end) range with `stride` holds (tfjs's own count, slice_util step 3). */
function rangeSize(begin: number, end: number, stride: number): number {
  const interval = end - begin;
  if (interval === 0 || interval < 0 !== stride < 0) return 0;
  return Math.trunc(interval / stride) + (interval % stride !== 0 ? 1 : 0);
}

function stridedSliceAxisByAxis(previous: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.shape.length < 5) return previous(args);
    const a = args.attrs as unknown as StridedSliceAttrs;
    const info = slice_util.sliceInfo(
      x.shape,
      a.begin,
      a.end,
      a.strides,
      a.beginMask,
      a.endMask,
      a.ellipsisMask,
      a.newAxisMask,
      a.shrinkAxisMask,
    );
    if (info.isIdentity || info.sliceDim0 || info.isSimpleSlice) return previous(args);
    const steps: AxisStep[] = [];
    x.shape.forEach((dim, axis) => {
      const begin = info.begin[axis];
      const stride = info.strides[axis];
      const size = rangeSize(begin, info.end[axis], stride);
      if (begin === 0 && stride === 1 && size === dim) return;
      // The last element taken is begin + (size − 1)·stride; a range that runs past index 0 downwards has no end
      // index ≥ 0, so it is given as "to the start" (the end mask) instead of a negative end, which would wrap.
      const end = begin + size * stride;
      steps.push({
        axis,
        length: size,
        run: (view) =>
          previous({
            inputs: { x: view },
            backend: args.backend,
            attrs: {
              begin: [0, begin, 0],
              end: [view.shape[0], end, view.shape[2]],
              strides: [1, stride, 1],
              beginMask: 0,
              endMask: end < 0 ? 2 : 0,
              ellipsisMask: 0,
              newAxisMask: 0,
              shrinkAxisMask: 0,
            } as never,
          }) as TensorInfo,
      });
    });
    return throughRank3Views(x, args.backend, steps, info.finalShape);
  };
}

/** StridedSlice for webgpu: tfjs's kernel below rank 5, axis by axis through rank-3 views from rank 5 up. */
export const highRankStridedSlice: KernelReplacement = {
  kernelName: 'StridedSlice',
  why: "tfjs's StridedSliceProgram generates invalid WGSL at rank ≥ 5 ('cannot index type vec5')",
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
