// Every pooling kind Nutshell has (max, average, L2; 2-D and 1-D; global), forward and input gradient,
// against float64 pooling on the host.
import { reference as R, type OpCase } from '@nutshell/backend-conformance';
import {
  avgPool1d,
  avgPool2d,
  globalAvgPool1d,
  globalAvgPool2d,
  globalMaxPool1d,
  globalMaxPool2d,
  l2Pool1d,
  l2Pool2d,
  maxPool1d,
  maxPool2d,
} from '@nutshell/conv';

type Nd = R.Nd;
const X2 = [2, 6, 5, 3];
const X1 = [2, 7, 3];

/** L2 pooling: the square root of the sum of squares over each window (zero padding adds nothing). */
function l2Reference(
  x: Nd,
  size: [number, number],
  strides: [number, number],
  padding: 'valid' | 'same',
): Nd {
  const channels = x.shape[3];
  const ones = R.nd([size[0], size[1], channels, 1], new Float64Array(size[0] * size[1] * channels).fill(1));
  const sums = R.conv2d(
    R.map(x, (v) => v * v),
    ones,
    { strides, padding, dilations: [1, 1] },
    true,
  );
  return R.map(sums, Math.sqrt);
}

const pool2 = (name: string, run: OpCase['run'], reference: OpCase['reference'], shape = X2): OpCase => ({
  name: `pooling ${name}`,
  family: 'pooling',
  kernels: [],
  inputs: [{ shape, min: 0.1, max: 2 }],
  run,
  reference,
});

const to1d = (y: Nd): Nd => R.reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
const as2d = (x: Nd): Nd => R.reshape(x, [x.shape[0], 1, x.shape[1], x.shape[2]]);

export const POOLING_CASES: readonly OpCase[] = [
  pool2(
    'maxPool2d 2x2',
    ([x]) => maxPool2d(x, { poolSize: 2 }),
    ([x]) => R.pool(x, 'max', [2, 2], { strides: [2, 2], padding: 'valid' }),
  ),
  pool2(
    'maxPool2d 3x3 stride 2 same',
    ([x]) => maxPool2d(x, { poolSize: 3, strides: 2, padding: 'same' }),
    ([x]) => R.pool(x, 'max', [3, 3], { strides: [2, 2], padding: 'same' }),
  ),
  pool2(
    'avgPool2d 2x2',
    ([x]) => avgPool2d(x, { poolSize: 2 }),
    ([x]) => R.pool(x, 'avg', [2, 2], { strides: [2, 2], padding: 'valid' }),
  ),
  pool2(
    'avgPool2d 3x3 stride 1 same',
    ([x]) => avgPool2d(x, { poolSize: 3, strides: 1, padding: 'same' }),
    ([x]) => R.pool(x, 'avg', [3, 3], { strides: [1, 1], padding: 'same' }),
  ),
  pool2(
    'l2Pool2d 2x2',
    ([x]) => l2Pool2d(x, { poolSize: 2 }),
    ([x]) => l2Reference(x, [2, 2], [2, 2], 'valid'),
  ),
  pool2(
    'l2Pool2d 3x3 stride 2 same',
    ([x]) => l2Pool2d(x, { poolSize: 3, strides: 2, padding: 'same' }),
    ([x]) => l2Reference(x, [3, 3], [2, 2], 'same'),
  ),
  pool2(
    'globalMaxPool2d',
    ([x]) => globalMaxPool2d(x),
    ([x]) => R.max(x, [1, 2]),
  ),
  pool2(
    'globalAvgPool2d',
    ([x]) => globalAvgPool2d(x),
    ([x]) => R.mean(x, [1, 2]),
  ),
  pool2(
    'maxPool1d 2',
    ([x]) => maxPool1d(x, { poolSize: 2 }),
    ([x]) => to1d(R.pool(as2d(x), 'max', [1, 2], { strides: [1, 2], padding: 'valid' })),
    X1,
  ),
  pool2(
    'avgPool1d 3 stride 2 same',
    ([x]) => avgPool1d(x, { poolSize: 3, strides: 2, padding: 'same' }),
    ([x]) => to1d(R.pool(as2d(x), 'avg', [1, 3], { strides: [1, 2], padding: 'same' })),
    X1,
  ),
  pool2(
    'l2Pool1d 2',
    ([x]) => l2Pool1d(x, { poolSize: 2 }),
    ([x]) => to1d(l2Reference(as2d(x), [1, 2], [1, 2], 'valid')),
    X1,
  ),
  pool2(
    'globalMaxPool1d',
    ([x]) => globalMaxPool1d(x),
    ([x]) => R.max(x, [1]),
    X1,
  ),
  pool2(
    'globalAvgPool1d',
    ([x]) => globalAvgPool1d(x),
    ([x]) => R.mean(x, [1]),
    X1,
  ),
];
