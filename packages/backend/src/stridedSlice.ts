// StridedSlice as every backend should run it. tfjs 4.22's kernels resolve the masks into per-axis ranges, then
// index the input with the output shape *without* its shrunk axes: with one axis shrunk and another strided
// (`x[:, 1, ::2]`) the CPU kernel, which wasm and native reuse, took the wrong elements without an error (or read out
// of range and threw a raw "Requested out of range element"), and WebGPU's shader did not compile. Resolving the
// masks here (tfjs's own `slice_util.sliceInfo`) and handing the backend's kernel a plain slice — a begin, end and
// stride for every input axis and no masks — avoids that path; a reshape then drops the shrunk axes and adds the new
// ones. Identity and contiguous slices, which tfjs gets right, go to its kernel unchanged.
import type { KernelConfig, KernelFunc, StridedSliceAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { slice_util } from '@tensorflow/tfjs-core';
import type { KernelReplacement } from './replaceKernels.js';
import { tf } from './tfjs.js';

/**
 * A strided slice resolved per input axis: where it starts, its step, and how many elements it takes.
 * @public
 */
export interface AxisRanges {
  readonly begin: readonly number[];
  readonly strides: readonly number[];
  readonly sizes: readonly number[];
  /** The output's shape: `sizes` without the shrunk axes, with the new ones. */
  readonly finalShape: readonly number[];
  /** Whether tfjs's kernel takes its identity or contiguous path (which is right). */
  readonly simple: boolean;
}

/**
 * Resolves a StridedSlice's attributes against `xShape` (masks, ellipsis, new axes, negative indices).
 * @public
 */
export function axisRanges(xShape: readonly number[], a: StridedSliceAttrs): AxisRanges {
  const info = slice_util.sliceInfo(
    [...xShape],
    a.begin,
    a.end,
    a.strides,
    a.beginMask,
    a.endMask,
    a.ellipsisMask,
    a.newAxisMask,
    a.shrinkAxisMask,
  );
  const sizes = xShape.map((_, i) => {
    const interval = info.end[i] - info.begin[i];
    const stride = info.strides[i];
    if (interval === 0 || interval < 0 !== stride < 0) return 0;
    return Math.trunc(interval / stride) + (interval % stride !== 0 ? 1 : 0);
  });
  return {
    begin: info.begin,
    strides: info.strides,
    sizes,
    finalShape: info.finalShape,
    simple: info.isIdentity || info.sliceDim0 || info.isSimpleSlice,
  };
}

/**
 * StridedSlice attributes that take the same elements as `r`, with no masks (a per-axis begin, end, stride).
 * @public
 */
export function plainSliceAttrs(r: AxisRanges): StridedSliceAttrs {
  const end = r.begin.map((b, i) => b + r.sizes[i] * r.strides[i]);
  // A range that runs down past index 0 has no end index ≥ 0; a negative end would wrap, so it is given as "to the
  // start" with the end mask instead.
  const endMask = end.reduce((m, e, i) => (e < 0 ? m | (1 << i) : m), 0);
  return {
    begin: [...r.begin],
    end,
    strides: [...r.strides],
    beginMask: 0,
    endMask,
    ellipsisMask: 0,
    newAxisMask: 0,
    shrinkAxisMask: 0,
  };
}

/** Wraps a backend's StridedSlice kernel so that it only ever sees plain slices (see the top of this file). */
export function plainStridedSlice(previous: KernelFunc, backendName: string): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const r = axisRanges(x.shape, args.attrs as unknown as StridedSliceAttrs);
    if (r.simple) return previous(args);
    const sliced = previous({ ...args, attrs: plainSliceAttrs(r) as never }) as TensorInfo;
    const reshape = tf.getKernel('Reshape', backendName)!.kernelFunc;
    const out = reshape({
      inputs: { x: sliced },
      backend: args.backend,
      attrs: { shape: [...r.finalShape] },
    }) as TensorInfo;
    (args.backend as { disposeData(id: object): void }).disposeData(sliced.dataId);
    return out;
  };
}

/**
 * The StridedSlice replacement for a backend whose kernel is tfjs 4.22's (cpu, wasm, webgpu): see
 * `plainStridedSlice`.
 * @public
 */
export function plainStridedSliceKernel(backendName: string): KernelReplacement & { readonly why: string } {
  return {
    kernelName: 'StridedSlice',
    why: "tfjs's kernel took the wrong elements (or failed) when one axis is shrunk and another strided",
    make(previous: KernelFunc | undefined): KernelConfig {
      if (!previous)
        throw new Error(`plainStridedSliceKernel: '${backendName}' has no StridedSlice kernel to wrap.`);
      return {
        kernelName: 'StridedSlice',
        backendName,
        kernelFunc: plainStridedSlice(previous, backendName),
      };
    },
  };
}
