// Shape ops at rank 5 and 6: conv's dilation and subsampling are built from rank-5 pads and reshapes, and
// tfjs-backend-webgpu 4.22 generates invalid shaders or fails for several ops there (pad, strided slice, reverse:
// now replaced by Nutshell).
import { tf } from '@nutshell/backend';
import * as R from '../reference/ndarray.js';
import type { OpCase } from './types.js';

const R5 = [2, 3, 2, 2, 3];
const R6 = [2, 1, 3, 2, 2, 2];

export const HIGH_RANK: readonly OpCase[] = [
  {
    name: 'pad rank 5',
    kernels: ['PadV2'],
    inputs: [{ shape: R5 }],
    run: ([x]) =>
      tf.pad(x, [
        [0, 0],
        [1, 0],
        [0, 2],
        [0, 0],
        [1, 1],
      ]),
    reference: ([x]) =>
      R.pad(x, [
        [0, 0],
        [1, 0],
        [0, 2],
        [0, 0],
        [1, 1],
      ]),
  },
  {
    name: 'pad rank 6 constant -0.5',
    kernels: ['PadV2'],
    inputs: [{ shape: R6 }],
    run: ([x]) =>
      tf.pad(
        x,
        [
          [1, 0],
          [0, 1],
          [0, 0],
          [1, 1],
          [0, 0],
          [2, 0],
        ],
        -0.5,
      ),
    reference: ([x]) =>
      R.pad(
        x,
        [
          [1, 0],
          [0, 1],
          [0, 0],
          [1, 1],
          [0, 0],
          [2, 0],
        ],
        -0.5,
      ),
  },
  {
    name: 'transpose rank 5',
    kernels: ['Transpose'],
    inputs: [{ shape: R5 }],
    run: ([x]) => tf.transpose(x, [4, 2, 0, 3, 1]),
    reference: ([x]) => R.transpose(x, [4, 2, 0, 3, 1]),
  },
  {
    name: 'transpose rank 6',
    kernels: ['Transpose'],
    inputs: [{ shape: R6 }],
    run: ([x]) => tf.transpose(x, [5, 4, 3, 2, 1, 0]),
    reference: ([x]) => R.transpose(x, [5, 4, 3, 2, 1, 0]),
  },
  {
    name: 'slice rank 5',
    kernels: ['Slice'],
    inputs: [{ shape: R5 }],
    run: ([x]) => tf.slice(x, [1, 1, 0, 1, 1], [1, 2, 2, 1, 2]),
    reference: ([x]) => R.slice(x, [1, 1, 0, 1, 1], [1, 2, 2, 1, 2]),
  },
  {
    name: 'slice rank 6',
    kernels: ['Slice'],
    inputs: [{ shape: R6 }],
    run: ([x]) => tf.slice(x, [1, 0, 1, 0, 1, 0], [1, 1, 2, 2, 1, 2]),
    reference: ([x]) => R.slice(x, [1, 0, 1, 0, 1, 0], [1, 1, 2, 2, 1, 2]),
  },
  {
    name: 'stridedSlice rank 5, strides 2 and -1',
    kernels: ['StridedSlice'],
    inputs: [{ shape: R5 }],
    run: ([x]) => tf.stridedSlice(x, [0, 2, 0, 1, 0], [2, -4, 2, 2, 3], [1, -1, 1, 1, 2]),
    reference: ([x]) => R.stridedSlice(x, [0, 2, 0, 1, 0], [1, -1, 1, 1, 2], [2, 3, 2, 1, 2]),
  },
  {
    name: 'stridedSlice rank 6, stride 2, one axis shrunk',
    kernels: ['StridedSlice'],
    inputs: [{ shape: R6 }],
    run: ([x]) =>
      tf.stridedSlice(x, [0, 0, 0, 1, 0, 0], [2, 1, 3, 2, 2, 2], [1, 1, 2, 1, 1, 1], 0, 0, 0, 0, 0b1000),
    reference: ([x]) =>
      R.reshape(
        R.stridedSlice(x, [0, 0, 0, 1, 0, 0], [1, 1, 2, 1, 1, 1], [2, 1, 2, 1, 2, 2]),
        [2, 1, 2, 2, 2],
      ),
  },
  {
    name: 'reverse rank 5, axes 1 and 4',
    kernels: ['Reverse'],
    inputs: [{ shape: R5 }],
    run: ([x]) => tf.reverse(x, [1, 4]),
    reference: ([x]) => R.reverse(x, [1, 4]),
  },
  {
    name: 'reverse rank 6, axes 0, 2 and 5',
    kernels: ['Reverse'],
    inputs: [{ shape: R6 }],
    run: ([x]) => tf.reverse(x, [0, 2, 5]),
    reference: ([x]) => R.reverse(x, [0, 2, 5]),
  },
  {
    name: 'concat rank 5 axis 3',
    kernels: ['Concat'],
    inputs: [{ shape: R5 }, { shape: [2, 3, 2, 1, 3] }],
    run: ([a, b]) => tf.concat([a, b], 3),
    reference: ([a, b]) => R.concat([a, b], 3),
  },
  {
    name: 'concat rank 6 axis 5',
    kernels: ['Concat'],
    inputs: [{ shape: R6 }, { shape: [2, 1, 3, 2, 2, 1] }],
    run: ([a, b]) => tf.concat([a, b], 5),
    reference: ([a, b]) => R.concat([a, b], 5),
  },
  {
    name: 'reshape rank 3 to 6, then add',
    kernels: ['Reshape', 'Add'],
    inputs: [{ shape: [4, 3, 6] }, { shape: [1, 2, 1, 3, 1, 6] }],
    run: ([x, b]) => tf.add(tf.reshape(x, [2, 2, 1, 3, 1, 6]), b),
    reference: ([x, b]) => R.zip(R.reshape(x, [2, 2, 1, 3, 1, 6]), b, (u, v) => u + v),
  },
];
