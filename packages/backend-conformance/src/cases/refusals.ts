// Bad input every backend must refuse with an error, never answer: tfjs 4.22's wasm kernels read past the tensor
// (GatherNd, Slice) or trapped (ScatterNd), its WebGPU gathers returned zeros, and on every backend a repeated
// transpose axis or a cumulative sum along a missing axis gave values. @nutshell/backend's kernel guards
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
];
