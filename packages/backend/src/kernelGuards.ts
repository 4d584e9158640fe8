// Checks in front of kernels whose tfjs 4.22 versions answer bad arguments with values instead of an error.
// Indices: tfjs checks gather indices and slice bounds on cpu only; with an index out of range, wasm's GatherNd
// returned whatever lay next in its heap, its ScatterNd trapped, WebGPU's gathers returned zeros, and wasm's Slice
// past the end read past the tensor. Arguments: a cumulative sum along an axis the tensor does not have summed along
// another one, a transpose whose permutation repeats an axis gave a different wrong answer on each backend, and a
// pooling stride of 0 gave wasm an output of shape [1, null, null, 1]. Paddings and sizes: a negative pad silently
// cropped on cpu and trapped wasm; negative tile reps broke the wasm heap for every later kernel and fractional ones
// gave values; a pooling filter of size 0 gave NaN (cpu) or heap garbage (wasm); negative spaceToBatchND paddings
// and a resize to a negative size gave wasm garbage (an output of shape [1, -1, 2, 1]); a segment id past the last
// segment was dropped (TensorFlow refuses it; negative ids it drops, and so do we). A guard checks, throws `IndexRangeError` or
// `ArgumentError`, then runs the backend's own kernel. Indices are read where that costs no device round trip: on
// cpu and wasm always; on WebGPU while they are still on the host (a tensor made from JavaScript values, before its
// first upload), which `hostValues` says.
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { ArgumentError, IndexRangeError } from './errors.js';
import { tf } from './tfjs.js';

/** The values of `t` if the backend can give them without waiting on a device, else `undefined`. */
export type HostValues = (t: TensorInfo, backend: unknown) => ArrayLike<number> | undefined;

/** Throws unless every index tuple (the last axis of `indices`) lies inside `shape`'s first axes. */
function checkTuples(
  op: string,
  indices: TensorInfo,
  values: ArrayLike<number>,
  shape: readonly number[],
): void {
  const k = indices.shape[indices.shape.length - 1] ?? 1;
  for (let t = 0; t * k < values.length; t++) {
    for (let j = 0; j < k; j++) {
      const v = values[t * k + j];
      if (!(v >= 0 && v < shape[j])) {
        const tuple = Array.from({ length: k }, (_, i) => values[t * k + i]);
        throw new IndexRangeError(
          op,
          `index [${tuple.join(', ')}] (entry ${t} of the indices) is outside a tensor of shape [${shape.join(', ')}]: index ${j} must be in [0, ${shape[j] - 1}].`,
        );
      }
    }
  }
}

function checkAxis(op: string, axis: number, rank: number): void {
  if (!(Number.isInteger(axis) && axis >= -rank && axis < rank))
    throw new ArgumentError(
      op,
      `axis ${axis} is outside a rank-${rank} tensor: it must be in [${-rank}, ${rank - 1}].`,
    );
}

function checkStrides(op: string, strides: number | number[]): void {
  const all = typeof strides === 'number' ? [strides, strides] : strides;
  if (!all.every((s) => Number.isInteger(s) && s > 0))
    throw new ArgumentError(op, `strides [${all.join(', ')}] must be positive integers.`);
}

/** Throws unless every value of `values` (named `what`) is an integer of at least `min`. */
function checkIntegers(op: string, what: string, values: readonly number[], min: number): void {
  if (!values.every((v) => Number.isInteger(v) && v >= min))
    throw new ArgumentError(op, `${what} [${values.join(', ')}] must be integers >= ${min}.`);
}

function checkNonNegative(op: string, values: ArrayLike<number> | undefined): void {
  if (!values) return;
  for (let i = 0; i < values.length; i++)
    if (!(values[i] >= 0))
      throw new ArgumentError(op, `value ${values[i]} (entry ${i} of the input) must be >= 0.`);
}

function checkPaddings(op: string, paddings: ReadonlyArray<readonly number[]>): void {
  if (!paddings.flat().every((v) => Number.isInteger(v) && v >= 0))
    throw new ArgumentError(
      op,
      `paddings [${paddings.map((p) => `[${p.join(', ')}]`).join(', ')}] must be integers >= 0 (a negative padding would crop).`,
    );
}

/** Throws if `axes` (a number or list, negatives counting from the end) names one axis twice. */
function checkDistinctAxes(op: string, axes: number | number[] | undefined, rank: number): void {
  // One axis cannot repeat: the common case (a training step's bias gradient sums one axis) costs a length test.
  if (axes === undefined || axes === null || typeof axes === 'number' || axes.length < 2) return;
  const seen = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  if (seen.size !== axes.length)
    throw new ArgumentError(
      op,
      `axes [${axes.join(', ')}] name an axis of a rank-${rank} tensor more than once.`,
    );
}

const reduction =
  (op: string, attr = 'axis'): Check =>
  ({ x }, attrs) =>
    checkDistinctAxes(op, attrs[attr] as number | number[] | undefined, x.shape.length);

/**
 * Max, Min, ArgMax, ArgMin over an empty axis have no answer (tfjs gave NaN on cpu, heap garbage on wasm, index 0
 * for argMax); refused as numpy does, unless the output is empty too. Unknown axes are left to tfjs's own check.
 */
const extremum =
  (op: string, attr: string, distinct: boolean): Check =>
  ({ x }, attrs) => {
    const raw = attrs[attr] as number | number[] | undefined;
    if (distinct) checkDistinctAxes(op, raw, x.shape.length);
    if (!x.shape.includes(0)) return;
    const rank = x.shape.length;
    const axes = (
      raw === undefined || raw === null ? [...x.shape.keys()] : typeof raw === 'number' ? [raw] : raw
    ).map((a) => (a < 0 ? a + rank : a));
    const kept = x.shape.filter((_, i) => !axes.includes(i));
    if (axes.some((a) => x.shape[a] === 0) && !kept.includes(0))
      throw new ArgumentError(
        op,
        `axes [${axes.join(', ')}] of a tensor of shape [${x.shape.join(', ')}] include an empty one: an empty ${op.toLowerCase()} has no value.`,
      );
  };

function checkPool(op: string, attrs: NamedAttrMap, dims = 2): void {
  const s = attrs.strides as number | number[];
  checkStrides(op, typeof s === 'number' ? Array<number>(dims).fill(s) : s);
  const f = attrs.filterSize as number | number[];
  checkIntegers(op, 'filterSize', typeof f === 'number' ? Array<number>(dims).fill(f) : f, 1);
}

type Check = (
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
  hostValues: (t: TensorInfo) => ArrayLike<number> | undefined,
) => void;

const CHECKS: Record<string, Check> = {
  GatherV2: ({ x, indices }, attrs, host) => {
    const values = host(indices);
    if (!values) return;
    const axis =
      (attrs.axis as number) < 0 ? (attrs.axis as number) + x.shape.length : (attrs.axis as number);
    const size = x.shape[axis];
    for (let i = 0; i < values.length; i++) {
      if (!(values[i] >= 0 && values[i] < size))
        throw new IndexRangeError(
          'GatherV2',
          `index ${values[i]} (entry ${i} of the indices) is outside axis ${axis} of a tensor of shape [${x.shape.join(', ')}]: it must be in [0, ${size - 1}].`,
        );
    }
  },
  GatherNd: ({ params, indices }, _attrs, host) => {
    const values = host(indices);
    if (values) checkTuples('GatherNd', indices, values, params.shape);
  },
  ScatterNd: ({ indices }, attrs, host) => {
    const values = host(indices);
    if (values) checkTuples('ScatterNd', indices, values, attrs.shape as number[]);
  },
  Transpose: ({ x }, attrs) => {
    const perm = attrs.perm as number[];
    const rank = x.shape.length;
    const seen = new Set(perm);
    if (perm.length !== rank || seen.size !== rank || perm.some((a) => !(a >= 0 && a < rank)))
      throw new ArgumentError(
        'Transpose',
        `perm [${perm.join(', ')}] must name each axis of a rank-${rank} tensor (0 to ${rank - 1}) exactly once.`,
      );
  },
  Cumsum: ({ x }, attrs) => checkAxis('Cumsum', attrs.axis as number, x.shape.length),
  Cumprod: ({ x }, attrs) => checkAxis('Cumprod', attrs.axis as number, x.shape.length),
  MaxPool: (_inputs, attrs) => checkPool('MaxPool', attrs),
  AvgPool: (_inputs, attrs) => checkPool('AvgPool', attrs),
  MaxPool3D: (_inputs, attrs) => checkPool('MaxPool3D', attrs, 3),
  AvgPool3D: (_inputs, attrs) => checkPool('AvgPool3D', attrs, 3),
  DepthwiseConv2dNative: (_inputs, attrs) => {
    checkStrides('DepthwiseConv2dNative', attrs.strides as number | number[]);
    // tfjs-layers passes `dilations: null` for the default (1).
    const d = attrs.dilations as number | number[] | null | undefined;
    if (d != null) checkIntegers('DepthwiseConv2dNative', 'dilations', typeof d === 'number' ? [d, d] : d, 1);
  },
  Conv2DBackpropInput: (_inputs, attrs) =>
    checkIntegers('Conv2DBackpropInput', 'inputShape', attrs.inputShape as number[], 0),
  Sum: reduction('Sum'),
  Mean: reduction('Mean'),
  Prod: reduction('Prod'),
  Max: extremum('Max', 'reductionIndices', true),
  Min: extremum('Min', 'axis', true),
  ArgMax: extremum('ArgMax', 'axis', false),
  ArgMin: extremum('ArgMin', 'axis', false),
  All: reduction('All'),
  Any: reduction('Any'),
  Reverse: ({ x }, attrs) => checkDistinctAxes('Reverse', attrs.dims as number | number[], x.shape.length),
  OneHot: (_inputs, attrs) => checkIntegers('OneHot', 'depth', [attrs.depth as number], 0),
  Multinomial: (_inputs, attrs) =>
    checkIntegers('Multinomial', 'numSamples', [attrs.numSamples as number], 0),
  SplitV: ({ x }, attrs) => {
    const split = attrs.numOrSizeSplits as number | number[];
    if (typeof split === 'number') return;
    const axis =
      (attrs.axis as number) < 0 ? (attrs.axis as number) + x.shape.length : (attrs.axis as number);
    const known = split.filter((v) => v !== -1);
    const inferred = x.shape[axis] - known.reduce((a, b) => a + b, 0);
    if (!known.every((v) => Number.isInteger(v) && v >= 0) || split.length - known.length > 1 || inferred < 0)
      throw new ArgumentError(
        'SplitV',
        `sizes [${split.join(', ')}] must be integers >= 0 (at most one -1, inferred) that fit axis ${axis} of size ${x.shape[axis]}.`,
      );
  },
  Bincount: ({ x }, _attrs, host) => checkNonNegative('Bincount', host(x)),
  DenseBincount: ({ x }, _attrs, host) => checkNonNegative('DenseBincount', host(x)),
  SparseToDense: ({ sparseIndices }, attrs, host) => {
    const values = host(sparseIndices);
    const shape = attrs.outputShape as number[];
    const k = sparseIndices.shape.length === 2 ? sparseIndices.shape[1] : 1;
    if (values && k === shape.length)
      checkTuples('SparseToDense', { ...sparseIndices, shape: [values.length / k, k] }, values, shape);
  },
  CropAndResize: ({ image, boxInd }, _attrs, host) => {
    const values = host(boxInd);
    if (!values) return;
    const batch = image.shape[0];
    for (let i = 0; i < values.length; i++)
      if (!(values[i] >= 0 && values[i] < batch))
        throw new IndexRangeError(
          'CropAndResize',
          `box index ${values[i]} (entry ${i} of boxInd) is outside a batch of ${batch} images: it must be in [0, ${batch - 1}].`,
        );
  },
  PadV2: (_inputs, attrs) => checkPaddings('PadV2', attrs.paddings as number[][]),
  SpaceToBatchND: (_inputs, attrs) => {
    checkIntegers('SpaceToBatchND', 'blockShape', attrs.blockShape as number[], 1);
    checkPaddings('SpaceToBatchND', attrs.paddings as number[][]);
  },
  Tile: (_inputs, attrs) => checkIntegers('Tile', 'reps', attrs.reps as number[], 0),
  ResizeBilinear: (_inputs, attrs) => checkIntegers('ResizeBilinear', 'size', attrs.size as number[], 1),
  ResizeNearestNeighbor: (_inputs, attrs) =>
    checkIntegers('ResizeNearestNeighbor', 'size', attrs.size as number[], 1),
  UnsortedSegmentSum: ({ segmentIds }, attrs, host) => {
    const n = attrs.numSegments as number;
    checkIntegers('UnsortedSegmentSum', 'numSegments', [n], 1);
    const values = host(segmentIds);
    if (!values) return;
    // TensorFlow drops negative ids and refuses ids past the last segment.
    for (let i = 0; i < values.length; i++)
      if (values[i] >= n)
        throw new IndexRangeError(
          'UnsortedSegmentSum',
          `segment id ${values[i]} (entry ${i} of the segment ids) is outside ${n} segments: it must be below ${n}.`,
        );
  },
  Slice: ({ x }, attrs) => {
    const begin = attrs.begin as number[];
    const size = attrs.size as number[];
    x.shape.forEach((dim, i) => {
      const end = size[i] === -1 ? dim : begin[i] + size[i];
      if (begin[i] < 0 || begin[i] > dim || end > dim || end < begin[i])
        throw new IndexRangeError(
          'Slice',
          `axis ${i} of a tensor of shape [${x.shape.join(', ')}] has ${dim} elements; begin ${begin[i]} and size ${size[i]} reach past them.`,
        );
    });
  },
};

/** The kernels a guard stands in front of. */
export const GUARDED_KERNELS: readonly string[] = Object.keys(CHECKS);

const guarded = new WeakSet<KernelFunc>();

/**
 * Puts a check in front of `backendName`'s kernels that take indices or arguments tfjs does not check everywhere
 * (`GUARDED_KERNELS`: gathers, scatter, slice, transpose, cumulative sum and product, pooling, pad, tile,
 * spaceToBatchND, resize, unsortedSegmentSum), whichever kernel is
 * registered now (tfjs's or a plugin's own). Call it after the backend's kernels are registered. Idempotent.
 * @public
 */
export function guardKernels(backendName: string, hostValues: HostValues): void {
  for (const kernelName of GUARDED_KERNELS) {
    const existing = tf.getKernel(kernelName, backendName);
    if (!existing || guarded.has(existing.kernelFunc)) continue;
    const run = existing.kernelFunc;
    const check = CHECKS[kernelName];
    const kernelFunc: KernelFunc = (args) => {
      check(args.inputs as Record<string, TensorInfo>, args.attrs ?? {}, (t) => hostValues(t, args.backend));
      return run(args);
    };
    const config: KernelConfig = { ...existing, kernelFunc };
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(config);
    guarded.add(kernelFunc);
  }
}

/** `HostValues` for a backend whose `readSync` is cheap and synchronous (cpu, wasm). */
export const readSyncValues: HostValues = (t, backend) =>
  (backend as { readSync(dataId: object): ArrayLike<number> }).readSync(t.dataId);
