// Bad input every backend must refuse with an error, never answer: tfjs 4.22's wasm kernels read past the tensor
// (GatherNd, Slice) or returned zeros (ScatterNd), and its WebGPU gathers returned zeros, without an error.
// @nutshell/backend's index guards (indexGuards.ts) make each of them throw IndexRangeError.
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
    name: 'slice past the end is refused',
    kernels: ['Slice'],
    inputs: [{ shape: [3, 2] }],
    run: ([x]) => tf.slice(x, [2, 0], [2, 2]),
    refuses: /Slice: axis 0 of a tensor of shape \[3, 2\] has 3 elements; begin 2 and size 2 reach past them/,
  },
];
