// Zero-size tensors: an empty batch or an empty feature axis must give zeros or empties, as on the CPU
// backend, never uninitialised memory (wasm's matmul once returned garbage for Dense.apply of a [2, 0] input).
import { tf } from '@nutshell/backend';
import * as R from '../reference/ndarray.js';
import type { OpCase } from './types.js';

/** Zero-size tensors: a layer fed an empty batch or an empty feature axis must give zeros/empties, not garbage. */
export const ZERO_SIZE: readonly OpCase[] = [
  {
    name: 'matMul with inner size 0 ([2, 0] × [0, 3] = zeros)',
    kernels: ['BatchMatMul'],
    inputs: [{ shape: [2, 0] }, { shape: [0, 3] }],
    run: ([a, b]) => tf.matMul(a, b),
    reference: ([a, b]) => R.matMul(a, b),
  },
  {
    name: 'dense on [2, 0]: matMul + bias (zeros + bias)',
    kernels: ['BatchMatMul', 'Add'],
    inputs: [{ shape: [2, 0] }, { shape: [0, 3] }, { shape: [3] }],
    run: ([x, w, b]) => tf.add(tf.matMul(x, w), b),
    reference: ([x, w, b]) => R.zip(R.matMul(x, w), b, (u, v) => u + v),
  },
  {
    name: 'batch of 0 through relu and sum over features',
    kernels: ['Relu', 'Sum'],
    inputs: [{ shape: [0, 4] }],
    run: ([x]) => tf.sum(tf.relu(x), 1),
    reference: () => R.nd([0], new Float64Array(0)),
    gradient: false,
    note: 'no elements to differentiate',
  },
  {
    name: 'concat with an empty part',
    kernels: ['Concat'],
    inputs: [{ shape: [2, 0] }, { shape: [2, 3] }],
    run: ([a, b]) => tf.concat([a, b], 1),
    reference: ([a, b]) => R.concat([a, b], 1),
  },
];
