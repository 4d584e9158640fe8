// Pad and MirrorPad at rank 5 and 6, one axis at a time through rank-3 views (rank3Views.ts says why that is valid
// and gives the same result). Before, Dawn rejected tfjs's shader and the op returned garbage.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelReplacement } from '@nutshell/backend';
import { type AxisStep, throughRank3Views } from './rank3Views.js';

/** Pads a rank ≥ 5 input axis by axis through rank-3 views with `previous` (tfjs's kernel), which is valid at rank 3. */
function axisByAxis(previous: KernelFunc, attrsFor: (before: number, after: number) => object): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.shape.length < 5) return previous(args);
    const { paddings } = args.attrs as unknown as { paddings: [number, number][] };
    const steps: AxisStep[] = [];
    paddings.forEach(([before, after], axis) => {
      if (before === 0 && after === 0) return;
      steps.push({
        axis,
        length: x.shape[axis] + before + after,
        run: (view) =>
          previous({
            inputs: { x: view },
            backend: args.backend,
            attrs: attrsFor(before, after) as never,
          }) as TensorInfo,
      });
    });
    return throughRank3Views(x, args.backend, steps);
  };
}

/** PadV2 for webgpu: tfjs's program below rank 5, axis by axis through rank-3 views from rank 5 up. */
export const highRankPad: KernelReplacement = {
  kernelName: 'PadV2',
  why: "tfjs's PadProgram generates invalid WGSL at rank ≥ 5 ('cannot index type vec5') and returns garbage",
  make(previous: KernelFunc | undefined): KernelConfig {
    if (!previous) throw new Error('highRankPad: tfjs-backend-webgpu registers no PadV2 kernel to build on.');
    return {
      kernelName: 'PadV2',
      backendName: 'webgpu',
      kernelFunc: (args) => {
        const { constantValue } = args.attrs as unknown as { constantValue: number };
        return axisByAxis(previous, (before, after) => ({
          paddings: [
            [0, 0],
            [before, after],
            [0, 0],
          ],
          constantValue,
        }))(args);
      },
    };
  },
};

/** MirrorPad for webgpu: the same, for reflect and symmetric padding. */
export const highRankMirrorPad: KernelReplacement = {
  kernelName: 'MirrorPad',
  why: "tfjs's MirrorPadProgram generates invalid WGSL at rank ≥ 5 and returns garbage",
  make(previous: KernelFunc | undefined): KernelConfig {
    if (!previous)
      throw new Error('highRankMirrorPad: tfjs-backend-webgpu registers no MirrorPad kernel to build on.');
    return {
      kernelName: 'MirrorPad',
      backendName: 'webgpu',
      kernelFunc: (args) => {
        const { mode } = args.attrs as unknown as { mode: 'reflect' | 'symmetric' };
        return axisByAxis(previous, (before, after) => ({
          paddings: [
            [0, 0],
            [before, after],
            [0, 0],
          ],
          mode,
        }))(args);
      },
    };
  },
};
