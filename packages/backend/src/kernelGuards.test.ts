import { describe, expect, it } from 'vitest';
import { tf } from './index.js';
import { ArgumentError, IndexRangeError } from './errors.js';
import { GUARDED_KERNELS, guardKernels, readSyncValues } from './kernelGuards.js';

const x = () => tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);

/** Runs `f`, which must throw `kind` naming `op`, and checks that no tensor outlives the attempt. */
function refused(
  op: string,
  f: () => tf.Tensor,
  message: RegExp,
  kind: typeof IndexRangeError | typeof ArgumentError = IndexRangeError,
): void {
  const before = tf.memory().numTensors;
  let error: unknown;
  tf.tidy(() => {
    try {
      f();
    } catch (e) {
      error = e;
    }
  });
  expect(error).toBeInstanceOf(kind);
  expect((error as IndexRangeError).op).toBe(op);
  expect((error as Error).message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before);
}

describe('index guards on cpu', () => {
  it('refuse a gather index past the end or below 0, naming the entry and the range', () => {
    refused(
      'GatherV2',
      () => tf.gather(x(), tf.tensor1d([0, 3], 'int32')),
      /index 3 \(entry 1 of the indices\) is outside axis 0 of a tensor of shape \[3, 2\]: it must be in \[0, 2\]/,
    );
    refused('GatherV2', () => tf.gather(x(), tf.tensor1d([-1], 'int32'), 1), /index -1 .*axis 1 .*\[0, 1\]/);
  });

  it('refuse gatherND and scatterND index tuples outside the tensor', () => {
    refused(
      'GatherNd',
      () => tf.gatherND(x(), tf.tensor2d([2, 1, 0, 2], [2, 2], 'int32')),
      /index \[0, 2\] \(entry 1 of the indices\) .* shape \[3, 2\]: index 1 must be in \[0, 1\]/,
    );
    refused(
      'ScatterNd',
      () => tf.scatterND(tf.tensor2d([3], [1, 1], 'int32'), tf.tensor1d([9]), [3]),
      /index \[3\] .* shape \[3\]/,
    );
  });

  it('refuse a slice past the end', () => {
    refused(
      'Slice',
      () => tf.slice(x(), [1, 1], [2, 2]),
      /axis 1 of a tensor of shape \[3, 2\] has 2 elements; begin 1 and size 2 reach past them/,
    );
  });

  it('refuse a transpose that repeats an axis, a cumulative sum along a missing axis, a pooling stride of 0', () => {
    refused(
      'Transpose',
      () => tf.transpose(x(), [0, 0]),
      /perm \[0, 0\] must name each axis of a rank-2 tensor \(0 to 1\) exactly once/,
      ArgumentError,
    );
    refused(
      'Cumsum',
      () => tf.cumsum(x(), 3),
      /axis 3 is outside a rank-2 tensor: it must be in \[-2, 1\]/,
      ArgumentError,
    );
    refused('Cumprod', () => tf.cumprod(x(), 2), /axis 2 is outside a rank-2 tensor/, ArgumentError);
    const img = () => tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    refused(
      'MaxPool',
      () => tf.maxPool(img(), 2, 0, 'valid'),
      /strides \[0, 0\] must be positive integers/,
      ArgumentError,
    );
    refused(
      'AvgPool',
      () => tf.avgPool(img(), 2, [1, 0], 'valid'),
      /strides \[1, 0\] must be positive integers/,
      ArgumentError,
    );
  });

  it('refuse negative paddings, negative or fractional tile reps, pooling filters of size 0, sizes below 1', () => {
    refused(
      'PadV2',
      () => tf.pad(tf.tensor1d([1, 2, 3, 4]), [[-1, 1]]),
      /^PadV2: paddings \[\[-1, 1\]\] must be integers >= 0 \(a negative padding would crop\)\.$/,
      ArgumentError,
    );
    refused(
      'Tile',
      () => tf.tile(tf.tensor1d([1, 2]), [-1]),
      /^Tile: reps \[-1\] must be integers >= 0\.$/,
      ArgumentError,
    );
    refused(
      'Tile',
      () => tf.tile(tf.tensor1d([1, 2]), [1.5]),
      /^Tile: reps \[1\.5\] must be integers >= 0\.$/,
      ArgumentError,
    );
    const img = () => tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    refused(
      'AvgPool',
      () => tf.avgPool(img(), 0, 1, 'valid'),
      /^AvgPool: filterSize \[0, 0\] must be integers >= 1\.$/,
      ArgumentError,
    );
    refused(
      'SpaceToBatchND',
      () =>
        tf.spaceToBatchND(
          tf.ones([1, 2, 2, 1]),
          [2, 2],
          [
            [-1, 1],
            [0, 0],
          ],
        ),
      /^SpaceToBatchND: paddings \[\[-1, 1\], \[0, 0\]\] must be integers >= 0/,
      ArgumentError,
    );
    refused(
      'ResizeBilinear',
      () => tf.image.resizeBilinear(img(), [-1, 2]),
      /^ResizeBilinear: size \[-1, 2\] must be integers >= 1\.$/,
      ArgumentError,
    );
    refused(
      'ResizeNearestNeighbor',
      () => tf.image.resizeNearestNeighbor(img(), [2, 0]),
      /^ResizeNearestNeighbor: size \[2, 0\] must be integers >= 1\.$/,
      ArgumentError,
    );
  });

  it('refuse a segment id past the last segment and drop negative ones, as TensorFlow does', () => {
    refused(
      'UnsortedSegmentSum',
      () => tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([0, 5, 1], 'int32'), 2),
      /^UnsortedSegmentSum: segment id 5 \(entry 1 of the segment ids\) is outside 2 segments: it must be below 2\.$/,
    );
    const kept = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([0, -1, 1], 'int32'), 2);
    expect(Array.from(kept.dataSync())).toEqual([1, 3]);
  });

  it('refuse repeated reduction and reverse axes (tfjs reduced or reversed twice: sum gave 6, mean 1.5 or 1)', () => {
    const ones = () => tf.ones([2, 3]);
    refused(
      'Sum',
      () => tf.sum(ones(), [1, 1]),
      /^Sum: axes \[1, 1\] name an axis of a rank-2 tensor more than once\.$/,
      ArgumentError,
    );
    refused('Mean', () => tf.mean(ones(), [0, -2]), /^Mean: axes \[0, -2\] name an axis/, ArgumentError);
    refused('Max', () => tf.max(ones(), [1, -1]), /^Max: axes \[1, -1\]/, ArgumentError);
    refused(
      'Reverse',
      () => tf.reverse(tf.tensor1d([1, 2, 3]), [0, 0]),
      /^Reverse: axes \[0, 0\] name an axis of a rank-1 tensor more than once\.$/,
      ArgumentError,
    );
  });

  it('refuse max, min, argMax over an empty axis (tfjs: NaN on cpu, heap garbage on wasm, 0 for argMax)', () => {
    const empty = () => tf.zeros([2, 0]);
    refused(
      'Max',
      () => tf.max(empty(), 1),
      /^Max: axes \[1\] of a tensor of shape \[2, 0\] include an empty one: an empty max has no value\.$/,
      ArgumentError,
    );
    refused('Min', () => tf.min(empty()), /^Min: axes \[0, 1\] of a tensor of shape \[2, 0\]/, ArgumentError);
    refused(
      'ArgMax',
      () => tf.argMax(empty(), 1),
      /^ArgMax: axes \[1\] of a tensor of shape \[2, 0\]/,
      ArgumentError,
    );
    // An empty output has no value to lack: [0, 3] reduced along axis 1 is [0].
    expect(tf.max(tf.zeros([0, 3]), 1).shape).toEqual([0]);
  });

  it('refuse zero strides and filters of 3-D pooling and depthwise convolution, a negative transposed-conv shape', () => {
    const vol = () => tf.ones([1, 2, 2, 2, 1]) as tf.Tensor5D;
    refused(
      'MaxPool3D',
      () => tf.maxPool3d(vol(), 1, 0, 'valid'),
      /^MaxPool3D: strides \[0, 0, 0\] must be positive integers\.$/,
      ArgumentError,
    );
    refused(
      'AvgPool3D',
      () => tf.avgPool3d(vol(), 0, 1, 'valid'),
      /^AvgPool3D: filterSize \[0, 0, 0\] must be integers >= 1\.$/,
      ArgumentError,
    );
    const img = () => tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const w = () => tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
    refused(
      'DepthwiseConv2dNative',
      () => tf.depthwiseConv2d(img(), w(), 0, 'valid'),
      /^DepthwiseConv2dNative: strides \[0, 0\] must be positive integers\.$/,
      ArgumentError,
    );
    // tfjs-layers passes `dilations: null` (the default, 1): allowed, not read as a list.
    const before = tf.memory().numTensors;
    const [x, f] = [img(), w()];
    const y = tf
      .engine()
      .runKernel('DepthwiseConv2dNative', { x, filter: f }, {
        strides: [1, 1],
        pad: 'valid',
        dataFormat: 'NHWC',
        dilations: null,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    expect(y.shape).toEqual([1, 3, 3, 1]);
    expect(Array.from(y.dataSync())).toEqual(Array(9).fill(4));
    tf.dispose([x, f, y]);
    expect(tf.memory().numTensors).toBe(before);
    refused(
      'Conv2DBackpropInput',
      () => tf.conv2dTranspose(tf.ones([1, 2, 2, 1]) as tf.Tensor4D, w(), [1, -1, 3, 1], 1, 'valid'),
      /^Conv2DBackpropInput: inputShape \[1, -1, 3, 1\] must be integers >= 0\.$/,
      ArgumentError,
    );
  });

  it('refuse a fractional oneHot depth, negative samples, bad split sizes, negative bincount input', () => {
    refused(
      'OneHot',
      () => tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2.5),
      /^OneHot: depth \[2\.5\] must be integers >= 0\.$/,
      ArgumentError,
    );
    refused(
      'Multinomial',
      () => tf.multinomial(tf.tensor1d([0.5, 0.5]), -1),
      /^Multinomial: numSamples \[-1\] must be integers >= 0\.$/,
      ArgumentError,
    );
    refused(
      'SplitV',
      () => tf.split(tf.tensor1d([1, 2, 3]), [4, -1])[1],
      /^SplitV: sizes \[4, -1\] must be integers >= 0 \(at most one -1, inferred\) that fit axis 0 of size 3\.$/,
      ArgumentError,
    );
    refused(
      'Bincount',
      () => tf.bincount(tf.tensor1d([0, -1], 'int32'), tf.tensor1d([], 'float32'), 3),
      /^Bincount: value -1 \(entry 1 of the input\) must be >= 0\.$/,
      ArgumentError,
    );
    expect(Array.from(tf.split(tf.tensor1d([1, 2, 3]), [1, -1])[1].dataSync())).toEqual([2, 3]);
  });

  it('refuse sparseToDense indices and cropAndResize box indices outside the output or the batch', () => {
    refused(
      'SparseToDense',
      () => tf.sparseToDense(tf.tensor1d([5], 'int32'), tf.tensor1d([1]), [3]),
      /^SparseToDense: index \[5\] \(entry 0 of the indices\) is outside a tensor of shape \[3\]/,
    );
    refused(
      'CropAndResize',
      () =>
        tf.image.cropAndResize(
          tf.ones([1, 2, 2, 1]) as tf.Tensor4D,
          tf.tensor2d([0, 0, 1, 1], [1, 4]),
          tf.tensor1d([3], 'int32'),
          [2, 2],
        ),
      /^CropAndResize: box index 3 \(entry 0 of boxInd\) is outside a batch of 1 images: it must be in \[0, 0\]\.$/,
    );
  });

  it('leave valid calls to the kernel: the same values as by hand', () => {
    expect(Array.from(tf.sum(tf.ones([2, 3]), [0, 1]).dataSync())).toEqual([6]);
    expect(Array.from(tf.reverse(tf.tensor2d([1, 2, 3, 4], [2, 2]), [0, -1]).dataSync())).toEqual([
      4, 3, 2, 1,
    ]);
    expect(Array.from(tf.pad(tf.tensor1d([1, 2]), [[1, 0]], 5).dataSync())).toEqual([5, 1, 2]);
    expect(Array.from(tf.tile(tf.tensor1d([1, 2]), [2]).dataSync())).toEqual([1, 2, 1, 2]);
    expect(tf.tile(tf.tensor1d([1, 2]), [0]).shape).toEqual([0]);
    expect(Array.from(tf.transpose(x(), [1, 0]).dataSync())).toEqual([1, 3, 5, 2, 4, 6]);
    expect(Array.from(tf.cumsum(x(), 1).dataSync())).toEqual([1, 3, 3, 7, 5, 11]);
    expect(Array.from(tf.gather(x(), tf.tensor1d([2, 0], 'int32')).dataSync())).toEqual([5, 6, 1, 2]);
    expect(Array.from(tf.gatherND(x(), tf.tensor2d([2, 1, 0, 0], [2, 2], 'int32')).dataSync())).toEqual([
      6, 1,
    ]);
    expect(
      Array.from(tf.scatterND(tf.tensor2d([2, 0], [2, 1], 'int32'), tf.tensor1d([7, 8]), [3]).dataSync()),
    ).toEqual([8, 0, 7]);
    expect(Array.from(tf.slice(x(), [1, 0], [-1, 1]).dataSync())).toEqual([3, 5]);
  });

  it('wrap each kernel once, however often they are registered', () => {
    const before = GUARDED_KERNELS.map((k) => tf.getKernel(k, 'cpu')!.kernelFunc);
    guardKernels('cpu', readSyncValues);
    expect(GUARDED_KERNELS.map((k) => tf.getKernel(k, 'cpu')!.kernelFunc)).toEqual(before);
  });
});
