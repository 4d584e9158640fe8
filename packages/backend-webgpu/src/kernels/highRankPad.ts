// Pad and MirrorPad at rank 5 and 6. tfjs-backend-webgpu 4.22's PadProgram and MirrorPadProgram index a
// `vec5`/`vec6` struct as if it were a vector, which is invalid WGSL: Dawn rejects the shader and the op returns
// garbage. Padding one axis at a time of a 3-D view ([before, axis, after]) uses tfjs's own rank-3 programs,
// which are valid, and gives the same result: constant and mirror padding are separable by axis (each output
// coordinate comes from its own axis's source coordinate), so padding axes one after another is the same.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelReplacement } from '@nutshell/backend';
import { tf } from '@nutshell/backend';

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** Pads a rank ≥ 5 input axis by axis through rank-3 views with `previous` (tfjs's kernel), which is valid at rank 3. */
function axisByAxis(previous: KernelFunc, attrsFor: (before: number, after: number) => object): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.shape.length < 5) return previous(args);
    const { paddings } = args.attrs as unknown as { paddings: [number, number][] };
    const backend = args.backend as { disposeData(id: object): void };
    const reshape = tf.getKernel('Reshape', 'webgpu')!.kernelFunc;
    const temporaries: TensorInfo[] = [];
    const shape = [...x.shape];
    let current = x;
    for (let axis = 0; axis < shape.length; axis++) {
      const [before, after] = paddings[axis];
      if (before === 0 && after === 0) continue;
      const view = reshape({
        inputs: { x: current },
        backend: args.backend,
        attrs: { shape: [product(shape.slice(0, axis)), shape[axis], product(shape.slice(axis + 1))] },
      }) as TensorInfo;
      const padded = previous({
        inputs: { x: view },
        backend: args.backend,
        attrs: attrsFor(before, after) as never,
      }) as TensorInfo;
      temporaries.push(view, padded);
      shape[axis] += before + after;
      current = padded;
    }
    const out = reshape({ inputs: { x: current }, backend: args.backend, attrs: { shape } }) as TensorInfo;
    for (const t of temporaries) backend.disposeData(t.dataId);
    return out;
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
