// Bad input every backend must refuse with an error, never answer: tfjs 4.22's wasm kernels read past the tensor
// (GatherNd, Slice) or trapped (ScatterNd), its WebGPU gathers returned zeros, and on every backend a repeated
// transpose axis or a cumulative sum along a missing axis gave values; a negative pad cropped (cpu) or trapped
// (wasm), negative tile reps broke the wasm heap, a pooling filter of 0, a negative spaceToBatchND padding or resize
// size gave NaN or heap garbage, a segment id past the last segment was dropped. @nutshell/backend's kernel guards
// (kernelGuards.ts) make each of them throw IndexRangeError or ArgumentError.
import { tf } from '@nutshell/backend';
import type { OpCase } from './types.js';

export const REFUSALS: readonly OpCase[] = [
  {
    name: 'gather with an index past the end is refused',
    kernels: ['GatherV2'],
    inputs: [{ shape: [3, 2] }, { shape: [2], values: [0, 3], dtype: 'int32' }],
    run: ([x, i]) => tf.gather(x, i, 0),
    refuses: /GatherV2: index 3 \(entry 1 of the indices\) is outside axis 0 .*\[0, 2\]/,
  },
  {
    name: 'gather with a negative index is refused',
    kernels: ['GatherV2'],
    inputs: [{ shape: [2, 4] }, { shape: [1], values: [-1], dtype: 'int32' }],
    run: ([x, i]) => tf.gather(x, i, 1),
    refuses: /GatherV2: index -1 .* outside axis 1 .*\[0, 3\]/,
  },
  {
    name: 'gatherND with an index tuple out of range is refused',
    kernels: ['GatherNd'],
    inputs: [{ shape: [3, 2] }, { shape: [2, 2], values: [2, 1, 5, 0], dtype: 'int32' }],
    run: ([x, i]) => tf.gatherND(x, i),
    refuses: /GatherNd: index \[5, 0\] \(entry 1 of the indices\) is outside a tensor of shape \[3, 2\]/,
  },
  {
    name: 'scatterND with an index out of range is refused',
    kernels: ['ScatterNd'],
    inputs: [{ shape: [2, 1], values: [1, 7], dtype: 'int32' }, { shape: [2] }],
    run: ([i, u]) => tf.scatterND(i, u, [3]),
    refuses: /ScatterNd: index \[7\] \(entry 1 of the indices\) is outside a tensor of shape \[3\]/,
  },
  {
    name: 'transpose with a repeated axis is refused',
    kernels: ['Transpose'],
    inputs: [{ shape: [3, 2] }],
    run: ([x]) => tf.transpose(x, [0, 0]),
    refuses: /Transpose: perm \[0, 0\] must name each axis of a rank-2 tensor/,
  },
  {
    name: 'cumsum along an axis the tensor lacks is refused',
    kernels: ['Cumsum'],
    inputs: [{ shape: [3, 2] }],
    run: ([x]) => tf.cumsum(x, 3),
    refuses: /Cumsum: axis 3 is outside a rank-2 tensor/,
  },
  {
    name: 'maxPool with stride 0 is refused',
    kernels: ['MaxPool'],
    inputs: [{ shape: [1, 4, 4, 1] }],
    run: ([x]) => tf.maxPool(x as never, 2, 0, 'valid'),
    refuses: /MaxPool: strides \[0, 0\] must be positive integers/,
  },
  {
    name: 'slice past the end is refused',
    kernels: ['Slice'],
    inputs: [{ shape: [3, 2] }],
    run: ([x]) => tf.slice(x, [2, 0], [2, 2]),
    refuses: /Slice: axis 0 of a tensor of shape \[3, 2\] has 3 elements; begin 2 and size 2 reach past them/,
  },
  {
    name: 'pad with a negative padding is refused',
    kernels: ['PadV2'],
    inputs: [{ shape: [4] }],
    run: ([x]) => tf.pad(x, [[-1, 1]]),
    refuses: /PadV2: paddings \[\[-1, 1\]\] must be integers >= 0/,
  },
  {
    // tfjs's mirrorPad op checks these itself on every backend (a plain Error, before any kernel runs); the case keeps
    // every backend refusing. Reflect allows up to size - 1, symmetric up to size (as TensorFlow).
    name: 'mirrorPad reflect with a padding of the axis size is refused',
    kernels: ['MirrorPad'],
    inputs: [{ shape: [4] }],
    run: ([x]) => tf.mirrorPad(x, [[4, 0]], 'reflect'),
    refuses:
      /Padding in dimension 0 cannot be greater than or equal to 3 or less than 0 for input of shape 4/,
  },
  {
    name: 'mirrorPad symmetric with a negative padding is refused',
    kernels: ['MirrorPad'],
    inputs: [{ shape: [4] }],
    run: ([x]) => tf.mirrorPad(x, [[0, -1]], 'symmetric'),
    refuses:
      /Padding in dimension 0 cannot be greater than or equal to 4 or less than 0 for input of shape 4/,
  },
  {
    name: 'tile with negative reps is refused',
    kernels: ['Tile'],
    inputs: [{ shape: [2] }],
    run: ([x]) => tf.tile(x, [-1]),
    refuses: /Tile: reps \[-1\] must be integers >= 0/,
  },
  {
    name: 'tile with fractional reps is refused',
    kernels: ['Tile'],
    inputs: [{ shape: [2] }],
    run: ([x]) => tf.tile(x, [1.5]),
    refuses: /Tile: reps \[1\.5\] must be integers >= 0/,
  },
  {
    name: 'avgPool with a filter of size 0 is refused',
    kernels: ['AvgPool'],
    inputs: [{ shape: [1, 4, 4, 1] }],
    run: ([x]) => tf.avgPool(x as never, 0, 1, 'valid'),
    refuses: /AvgPool: filterSize \[0, 0\] must be integers >= 1/,
  },
  {
    name: 'spaceToBatchND with a negative padding is refused',
    kernels: ['SpaceToBatchND'],
    inputs: [{ shape: [1, 2, 2, 1] }],
    run: ([x]) =>
      tf.spaceToBatchND(
        x,
        [2, 2],
        [
          [-1, 1],
          [0, 0],
        ],
      ),
    refuses: /SpaceToBatchND: paddings \[\[-1, 1\], \[0, 0\]\] must be integers >= 0/,
  },
  {
    name: 'resizeBilinear to a negative size is refused',
    kernels: ['ResizeBilinear'],
    inputs: [{ shape: [1, 2, 2, 1] }],
    run: ([x]) => tf.image.resizeBilinear(x as never, [-1, 2]),
    refuses: /ResizeBilinear: size \[-1, 2\] must be integers >= 1/,
  },
  {
    name: 'unsortedSegmentSum with a segment id past the last segment is refused',
    kernels: ['UnsortedSegmentSum'],
    inputs: [{ shape: [3] }, { shape: [3], values: [0, 5, 1], dtype: 'int32' }],
    run: ([x, ids]) => tf.unsortedSegmentSum(x, ids as never, 2),
    refuses: /UnsortedSegmentSum: segment id 5 \(entry 1 of the segment ids\) is outside 2 segments/,
  },
  {
    name: 'sum over a repeated axis is refused',
    kernels: ['Sum'],
    inputs: [{ shape: [2, 3] }],
    run: ([x]) => tf.sum(x, [1, 1]),
    refuses: /Sum: axes \[1, 1\] name an axis of a rank-2 tensor more than once/,
  },
  {
    name: 'mean over an axis named twice (0 and -2) is refused',
    kernels: ['Mean'],
    inputs: [{ shape: [2, 3] }],
    run: ([x]) => tf.mean(x, [0, -2]),
    refuses: /Mean: axes \[0, -2\] name an axis of a rank-2 tensor more than once/,
  },
  {
    name: 'reverse along a repeated axis is refused',
    kernels: ['Reverse'],
    inputs: [{ shape: [3] }],
    run: ([x]) => tf.reverse(x, [0, 0]),
    refuses: /Reverse: axes \[0, 0\] name an axis of a rank-1 tensor more than once/,
  },
  {
    name: 'maxPool3d with stride 0 is refused',
    kernels: ['MaxPool3D'],
    inputs: [{ shape: [1, 2, 2, 2, 1] }],
    run: ([x]) => tf.maxPool3d(x as never, 1, 0, 'valid'),
    refuses: /MaxPool3D: strides \[0, 0, 0\] must be positive integers/,
  },
  {
    name: 'depthwiseConv2d with stride 0 is refused',
    kernels: ['DepthwiseConv2dNative'],
    inputs: [{ shape: [1, 4, 4, 1] }, { shape: [2, 2, 1, 1] }],
    run: ([x, w]) => tf.depthwiseConv2d(x as never, w as never, 0, 'valid'),
    refuses: /DepthwiseConv2dNative: strides \[0, 0\] must be positive integers/,
  },
  {
    name: 'conv2dTranspose to a negative output shape is refused',
    kernels: ['Conv2DBackpropInput'],
    inputs: [{ shape: [1, 2, 2, 1] }, { shape: [2, 2, 1, 1] }],
    run: ([x, w]) => tf.conv2dTranspose(x as never, w as never, [1, -1, 3, 1], 1, 'valid'),
    refuses: /Conv2DBackpropInput: inputShape \[1, -1, 3, 1\] must be integers >= 0/,
  },
  {
    name: 'oneHot with a fractional depth is refused',
    kernels: ['OneHot'],
    inputs: [{ shape: [2], values: [0, 1], dtype: 'int32' }],
    run: ([i]) => tf.oneHot(i, 2.5),
    refuses: /OneHot: depth \[2\.5\] must be integers >= 0/,
  },
  {
    name: 'split with sizes past the axis is refused',
    kernels: ['SplitV'],
    inputs: [{ shape: [3] }],
    run: ([x]) => tf.split(x, [4, -1])[1],
    refuses:
      /SplitV: sizes \[4, -1\] must be integers >= 0 \(at most one -1, inferred\) that fit axis 0 of size 3/,
  },
  {
    name: 'bincount of a negative value is refused',
    kernels: ['Bincount'],
    inputs: [{ shape: [2], values: [0, -1], dtype: 'int32' }, { shape: [0] }],
    run: ([x, w]) => tf.bincount(x as never, w as never, 3),
    refuses: /Bincount: value -1 \(entry 1 of the input\) must be >= 0/,
  },
  {
    name: 'sparseToDense with an index past the end is refused',
    kernels: ['SparseToDense'],
    inputs: [{ shape: [1], values: [5], dtype: 'int32' }, { shape: [1] }],
    run: ([i, v]) => tf.sparseToDense(i, v, [3]),
    refuses: /SparseToDense: index \[5\] \(entry 0 of the indices\) is outside a tensor of shape \[3\]/,
  },
  {
    name: 'cropAndResize with a box index past the batch is refused',
    kernels: ['CropAndResize'],
    inputs: [
      { shape: [1, 2, 2, 1] },
      { shape: [1, 4], values: [0, 0, 1, 1] },
      { shape: [1], values: [3], dtype: 'int32' },
    ],
    run: ([x, boxes, ind]) => tf.image.cropAndResize(x as never, boxes as never, ind as never, [2, 2]),
    refuses: /CropAndResize: box index 3 \(entry 0 of boxInd\) is outside a batch of 1 images/,
  },
  {
    name: 'max over an empty axis is refused',
    kernels: ['Max'],
    inputs: [{ shape: [2, 0] }],
    run: ([x]) => tf.max(x, 1),
    refuses: /Max: axes \[1\] of a tensor of shape \[2, 0\] include an empty one/,
  },
  {
    name: 'argMax over an empty axis is refused',
    kernels: ['ArgMax'],
    inputs: [{ shape: [2, 0] }],
    run: ([x]) => tf.argMax(x, 1),
    refuses: /ArgMax: axes \[1\] of a tensor of shape \[2, 0\] include an empty one/,
  },
];
