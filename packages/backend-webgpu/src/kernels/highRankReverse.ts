// Reverse at rank 5 and 6: tfjs-backend-webgpu 4.22's kernel views every input as rank 4 and failed there with a raw
// "Size(240) must match the product of shape 3,4,5,2". Reversing axes is one axis at a time, each through a rank-3
// view (rank3Views.ts) that tfjs's kernel handles.
import type { KernelConfig, KernelFunc, ReverseAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import type { KernelReplacement } from '@nutshell/backend';
import { throughRank3Views } from './rank3Views.js';

function reverseAxisByAxis(previous: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.shape.length < 5) return previous(args);
    const { dims } = args.attrs as unknown as ReverseAttrs;
    const axes = [...new Set(util.parseAxisParam(dims, x.shape))];
    return throughRank3Views(
      x,
      args.backend,
      axes.map((axis) => ({
        axis,
        length: x.shape[axis],
        run: (view) =>
          previous({
            inputs: { x: view },
            backend: args.backend,
            attrs: { dims: [1] } as never,
          }) as TensorInfo,
      })),
    );
  };
}

/** Reverse for webgpu: tfjs's kernel below rank 5, axis by axis through rank-3 views from rank 5 up. */
export const highRankReverse: KernelReplacement = {
  kernelName: 'Reverse',
  why: "tfjs's Reverse kernel views its input as rank 4 and fails at rank ≥ 5 with a raw size error",
  make(previous: KernelFunc | undefined): KernelConfig {
    if (!previous)
      throw new Error('highRankReverse: tfjs-backend-webgpu registers no Reverse kernel to build on.');
    return { kernelName: 'Reverse', backendName: 'webgpu', kernelFunc: reverseAxisByAxis(previous) };
  },
};
