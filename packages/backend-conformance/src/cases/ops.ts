// The operations the conformance suite checks. Each runs on the backend under test and, independently,
// in float64 on the host (src/reference); inputs are small and seeded.
import { tf } from '@nutshell/backend';
import type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D } from '@tensorflow/tfjs-core';
import * as R from '../reference/ndarray.js';
import type { Nd } from '../reference/ndarray.js';
import type { InputSpec, OpCase } from './types.js';
import { HIGH_RANK } from './highRank.js';
import { REFUSALS } from './refusals.js';
import { ZERO_SIZE } from './zeroSize.js';

const t4 = (t: Tensor) => t as Tensor4D;
const away = (shape: number[], ...avoid: number[]): InputSpec => ({ shape, avoid: [0, ...avoid] });
const positive = (shape: number[], min = 0.5, max = 2): InputSpec => ({ shape, min, max });
const SHAPE = [2, 3, 4];

function unary(name: string, kernel: string, f: (x: Tensor) => Tensor, g: (v: number) => number, input: InputSpec = { shape: SHAPE }, tol?: number): OpCase {
  return { name, kernels: [kernel], inputs: [input], run: ([x]) => f(x), reference: ([x]) => R.map(x, g), forwardTolerance: tol };
}

function binary(name: string, kernel: string, f: (a: Tensor, b: Tensor) => Tensor, g: (a: number, b: number) => number, a: InputSpec, b: InputSpec): OpCase {
  return { name, kernels: [kernel], inputs: [a, b], run: ([x, y]) => f(x, y), reference: ([x, y]) => R.zip(x, y, g) };
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for a reference; integrate the series instead (|x| ≤ 3).
  let sum = x;
  let term = x;
  for (let n = 1; n < 60; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

export const ELEMENTWISE: readonly OpCase[] = [
  unary('abs', 'Abs', tf.abs, Math.abs, away(SHAPE)),
  unary('neg', 'Neg', tf.neg, (v) => -v),
  unary('exp', 'Exp', tf.exp, Math.exp),
  unary('log', 'Log', tf.log, Math.log, positive(SHAPE)),
  unary('sqrt', 'Sqrt', tf.sqrt, Math.sqrt, positive(SHAPE)),
  unary('rsqrt', 'Rsqrt', tf.rsqrt, (v) => 1 / Math.sqrt(v), positive(SHAPE)),
  unary('square', 'Square', tf.square, (v) => v * v),
  unary('reciprocal', 'Reciprocal', tf.reciprocal, (v) => 1 / v, positive(SHAPE)),
  unary('sigmoid', 'Sigmoid', tf.sigmoid, (v) => 1 / (1 + Math.exp(-v)), { shape: SHAPE, min: -4, max: 4 }),
  unary('tanh', 'Tanh', tf.tanh, Math.tanh, { shape: SHAPE, min: -3, max: 3 }),
  unary('relu', 'Relu', tf.relu, (v) => Math.max(0, v), away(SHAPE)),
  unary('relu6', 'Relu6', tf.relu6, (v) => Math.min(6, Math.max(0, v)), { shape: SHAPE, min: -3, max: 9, avoid: [0, 6] }),
  unary('elu', 'Elu', tf.elu, (v) => (v > 0 ? v : Math.expm1(v)), away(SHAPE)),
  unary('selu', 'Selu', tf.selu, (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)), away(SHAPE)),
  unary('leakyRelu', 'LeakyRelu', (x) => tf.leakyRelu(x, 0.2), (v) => (v > 0 ? v : 0.2 * v), away(SHAPE)),
  unary('softplus', 'Softplus', tf.softplus, (v) => Math.log1p(Math.exp(v)), { shape: SHAPE, min: -4, max: 4 }),
  unary('sin', 'Sin', tf.sin, Math.sin, { shape: SHAPE, min: -3, max: 3 }),
  unary('cos', 'Cos', tf.cos, Math.cos, { shape: SHAPE, min: -3, max: 3 }),
  unary('log1p', 'Log1p', tf.log1p, Math.log1p, positive(SHAPE, 0, 2)),
  unary('expm1', 'Expm1', tf.expm1, Math.expm1),
  unary('erf', 'Erf', tf.erf, erf, { shape: SHAPE, min: -2, max: 2 }, 1e-4),
  unary('clipByValue', 'ClipByValue', (x) => tf.clipByValue(x, -0.5, 0.5), (v) => Math.min(0.5, Math.max(-0.5, v)), { shape: SHAPE, avoid: [-0.5, 0.5] }),
  binary('add (broadcast)', 'Add', tf.add, (a, b) => a + b, { shape: SHAPE }, { shape: [4] }),
  binary('sub (broadcast)', 'Sub', tf.sub, (a, b) => a - b, { shape: SHAPE }, { shape: [3, 1] }),
  binary('mul (broadcast)', 'Multiply', tf.mul, (a, b) => a * b, { shape: SHAPE }, { shape: [2, 1, 4] }),
  binary('div (broadcast)', 'RealDiv', tf.div, (a, b) => a / b, { shape: SHAPE }, positive([4])),
  binary('maximum', 'Maximum', tf.maximum, Math.max, { shape: SHAPE }, { shape: SHAPE }),
  binary('minimum', 'Minimum', tf.minimum, Math.min, { shape: SHAPE }, { shape: SHAPE }),
  binary('pow', 'Pow', tf.pow, Math.pow, positive(SHAPE), { shape: SHAPE, min: -2, max: 2 }),
  binary('squaredDifference', 'SquaredDifference', tf.squaredDifference, (a, b) => (a - b) ** 2, { shape: SHAPE }, { shape: [4] }),
  binary('prelu', 'Prelu', tf.prelu, (v, a) => (v > 0 ? v : a * v), away(SHAPE), { shape: [4], min: 0.1, max: 0.5 }),
];

function batchMatMulRef(a: Nd, b: Nd): Nd {
  const [n, m, k] = a.shape;
  const p = b.shape[2];
  const parts: Nd[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(R.reshape(R.matMul(R.reshape(R.slice(a, [i, 0, 0], [1, m, k]), [m, k]), R.reshape(R.slice(b, [i, 0, 0], [1, k, p]), [k, p])), [1, m, p]));
  }
  return R.concat(parts, 0);
}

type Pad = R.Padding;
const conv = (name: string, x: number[], f: number[], strides: [number, number], padding: Pad, dilations: [number, number] = [1, 1], extra: Partial<OpCase> = {}): OpCase => ({
  name,
  kernels: ['Conv2D'],
  inputs: [{ shape: x }, { shape: f }],
  run: ([a, w]) => tf.conv2d(t4(a), t4(w), strides, typeof padding === 'string' ? padding : [[0, 0], [...padding[0]], [...padding[1]], [0, 0]], 'NHWC', dilations),
  reference: ([a, w]) => R.conv2d(a, w, { strides, padding, dilations }),
  gradientTolerance: 2e-4,
  ...extra,
});

const depthwise = (name: string, x: number[], f: number[], strides: [number, number], padding: 'valid' | 'same', dilations: [number, number] = [1, 1], extra: Partial<OpCase> = {}): OpCase => ({
  name,
  kernels: ['DepthwiseConv2dNative'],
  inputs: [{ shape: x }, { shape: f }],
  run: ([a, w]) => tf.depthwiseConv2d(t4(a), t4(w), strides, padding, 'NHWC', dilations),
  reference: ([a, w]) => R.conv2d(a, w, { strides, padding, dilations }, true),
  gradientTolerance: 2e-4,
  ...extra,
});

const pool = (name: string, kind: 'max' | 'avg', size: [number, number], strides: [number, number], padding: 'valid' | 'same', x = [2, 6, 6, 3]): OpCase => ({
  name,
  kernels: [kind === 'max' ? 'MaxPool' : 'AvgPool'],
  inputs: [{ shape: x }],
  run: ([a]) => (kind === 'max' ? tf.maxPool : tf.avgPool)(t4(a), size, strides, padding),
  reference: ([a]) => R.pool(a, kind, size, { strides, padding }),
});

export const NN: readonly OpCase[] = [
  {
    name: 'matMul',
    kernels: ['BatchMatMul'],
    inputs: [{ shape: [3, 5] }, { shape: [5, 4] }],
    run: ([a, b]) => tf.matMul(a as Tensor2D, b as Tensor2D),
    reference: ([a, b]) => R.matMul(a, b),
  },
  {
    name: 'matMul transposed',
    kernels: ['BatchMatMul'],
    inputs: [{ shape: [5, 3] }, { shape: [4, 5] }],
    run: ([a, b]) => tf.matMul(a as Tensor2D, b as Tensor2D, true, true),
    reference: ([a, b]) => R.matMul(a, b, true, true),
  },
  {
    name: 'matMul batched',
    kernels: ['BatchMatMul'],
    inputs: [{ shape: [2, 3, 5] }, { shape: [2, 5, 4] }],
    run: ([a, b]) => tf.matMul(a as Tensor3D, b as Tensor3D),
    reference: ([a, b]) => batchMatMulRef(a, b),
  },
  {
    // tfjs-backend-wasm 4.22 has no int32 product (wasm and native threw a raw tfjs error); cpu's is exact. Values
    // past 2^24 and tolerance 0: a float32 sum would round 16777217 + 3 - 10.
    name: 'matMul int32 exact, b transposed',
    kernels: ['BatchMatMul'],
    inputs: [
      { shape: [2, 3], values: [16777217, 1, -2, 3, -4, 7], dtype: 'int32' },
      { shape: [2, 3], values: [1, 3, 5, -2, 1, 100000], dtype: 'int32' },
    ],
    run: ([a, b]) => tf.matMul(a as Tensor2D, b as Tensor2D, false, true),
    reference: ([a, b]) => R.matMul(a, b, false, true),
    unsupported: (backend) =>
      backend === 'webgpu'
        ? "tfjs-backend-webgpu 4.22 sums an int32 product in float32: exact only while sums stay below 2^24 (here 16777210 rounds); no Nutshell int32 WGSL product yet"
        : undefined,
    forwardTolerance: 0,
    gradient: false,
    note: 'int32: no gradient',
  },
  {
    name: 'matMul int32 batched, a transposed',
    kernels: ['BatchMatMul'],
    inputs: [
      { shape: [2, 3, 2], values: [1, -2, 3, 4, -5, 6, 7, 8, 9, -10, 11, 12], dtype: 'int32' },
      { shape: [3, 2], values: [2, -1, 0, 3, 40000, 5], dtype: 'int32' },
    ],
    run: ([a, b]) => tf.matMul(a as Tensor3D, b as Tensor2D as never, true, false),
    reference: ([a, b]) =>
      batchMatMulRef(R.transpose(a, [0, 2, 1]), R.reshape(R.concat([b, b], 0), [2, 3, 2])),
    forwardTolerance: 0,
    gradient: false,
    note: 'int32: no gradient',
  },
  {
    // One buffer as weights in two shapes (a reshape shares the data): tfjs-backend-wasm 4.22 reused the operator
    // it had packed for the first shape.
    name: 'matMul with reshaped weights sharing data',
    kernels: ['BatchMatMul', 'Reshape'],
    inputs: [{ shape: [4, 27] }, { shape: [27, 8] }, { shape: [5, 9] }],
    run: ([a, w, c]) =>
      tf.tidy(() =>
        tf.concat([tf.reshape(tf.matMul(a as Tensor2D, w as Tensor2D), [-1]), tf.reshape(tf.matMul(c as Tensor2D, tf.reshape(w, [9, 24]) as Tensor2D), [-1])]),
      ),
    reference: ([a, w, c]) => R.concat([R.reshape(R.matMul(a, w), [32]), R.reshape(R.matMul(c, R.reshape(w, [9, 24])), [120])], 0),
  },
  {
    // tfjs-backend-wasm 4.22 gave rows after the first the last bias value when it did not use XNNPACK.
    name: 'fused matMul with bias, transposed',
    kernels: ['_FusedMatMul'],
    inputs: [{ shape: [3, 4] }, { shape: [5, 4] }, { shape: [5] }],
    run: ([a, b, bias]) => tf.fused.matMul({ a: a as Tensor2D, b: b as Tensor2D, bias, transposeB: true }),
    reference: ([a, b, bias]) => R.zip(R.matMul(a, b, false, true), bias, (x, y) => x + y),
  },
  {
    name: 'fused matMul with a one-value bias',
    kernels: ['_FusedMatMul'],
    inputs: [{ shape: [3, 4] }, { shape: [4, 5] }, { shape: [1] }],
    run: ([a, b, bias]) => tf.fused.matMul({ a: a as Tensor2D, b: b as Tensor2D, bias }),
    reference: ([a, b, bias]) => R.zip(R.matMul(a, b), bias, (x, y) => x + y),
  },
  conv('conv2d valid', [2, 7, 7, 3], [3, 3, 3, 4], [1, 1], 'valid'),
  conv('conv2d stride 2 same', [2, 8, 7, 3], [3, 3, 3, 4], [2, 2], 'same'),
  conv('conv2d 5x5 stride [1,2] explicit padding', [1, 9, 8, 2], [5, 5, 2, 3], [1, 2], [[1, 2], [2, 0]]),
  conv('conv2d dilation 2', [1, 9, 9, 2], [3, 3, 2, 3], [1, 1], 'same', [2, 2]),
  depthwise('depthwiseConv2d multiplier 2 same', [2, 6, 6, 3], [3, 3, 3, 2], [1, 1], 'same'),
  depthwise('depthwiseConv2d stride 2 valid', [2, 7, 7, 4], [3, 3, 4, 1], [2, 2], 'valid'),
  depthwise('depthwiseConv2d dilation 2', [1, 8, 8, 2], [3, 3, 2, 1], [1, 1], 'valid', [2, 2]),
  {
    name: 'conv2dTranspose stride 2',
    kernels: ['Conv2DBackpropInput'],
    inputs: [{ shape: [2, 3, 3, 4] }, { shape: [3, 3, 2, 4] }],
    run: ([dy, w]) => tf.conv2dTranspose(t4(dy), t4(w), [2, 6, 6, 2], 2, 'same'),
    reference: ([dy, w]) => R.conv2dTranspose(dy, w, [2, 6, 6, 2], { strides: [2, 2], padding: 'same' }),
    gradientTolerance: 2e-4,
  },
  pool('maxPool 2x2 stride 2', 'max', [2, 2], [2, 2], 'valid'),
  pool('maxPool 3x3 stride 2 same', 'max', [3, 3], [2, 2], 'same', [2, 7, 7, 2]),
  pool('avgPool 2x2 stride 2', 'avg', [2, 2], [2, 2], 'valid'),
  pool('avgPool 3x3 stride 1 same', 'avg', [3, 3], [1, 1], 'same', [1, 5, 5, 2]),
  {
    name: 'batchNorm',
    kernels: ['FusedBatchNorm'],
    inputs: [{ shape: [2, 3, 3, 4] }, { shape: [4] }, positive([4]), { shape: [4] }, { shape: [4] }],
    run: ([x, m, v, o, s]) => tf.batchNorm(x, m as Tensor1D, v as Tensor1D, o as Tensor1D, s as Tensor1D, 1e-3),
    reference: ([x, m, v, o, s]) => R.zip(R.zip(R.zip(R.zip(x, m, (a, b) => a - b), v, (a, b) => a / Math.sqrt(b + 1e-3)), s, (a, b) => a * b), o, (a, b) => a + b),
    gradientTolerance: 2e-4,
  },
  {
    name: 'batchNorm without offset and scale',
    kernels: ['FusedBatchNorm'],
    inputs: [{ shape: [4, 5] }, { shape: [5] }, positive([5])],
    run: ([x, m, v]) => tf.batchNorm(x, m as Tensor1D, v as Tensor1D, undefined, undefined, 1e-3),
    reference: ([x, m, v]) => R.zip(R.zip(x, m, (a, b) => a - b), v, (a, b) => a / Math.sqrt(b + 1e-3)),
  },
  {
    name: 'softmax',
    kernels: ['Softmax'],
    inputs: [{ shape: [3, 6], min: -3, max: 3 }],
    run: ([x]) => tf.softmax(x),
    reference: ([x]) => R.softmax(x),
  },
  {
    name: 'logSoftmax',
    kernels: ['Max', 'Sub', 'Exp', 'Sum', 'Log'],
    inputs: [{ shape: [3, 6], min: -3, max: 3 }],
    run: ([x]) => tf.logSoftmax(x),
    reference: ([x]) => R.logSoftmax(x),
  },
];

const IDX = [2, 0, 2, 1];
const BATCH_IDX = [
  [2, 0, 2],
  [1, 1, 0],
];

export const REDUCTIONS_AND_SHAPES: readonly OpCase[] = [
  { name: 'sum over an axis', kernels: ['Sum'], inputs: [{ shape: SHAPE }], run: ([x]) => tf.sum(x, 1), reference: ([x]) => R.sum(x, [1]) },
  { name: 'sum of everything', kernels: ['Sum'], inputs: [{ shape: SHAPE }], run: ([x]) => tf.sum(x), reference: ([x]) => R.sum(x, [0, 1, 2]) },
  { name: 'mean over two axes', kernels: ['Mean'], inputs: [{ shape: SHAPE }], run: ([x]) => tf.mean(x, [0, 2]), reference: ([x]) => R.mean(x, [0, 2]) },
  { name: 'max over the last axis', kernels: ['Max'], inputs: [{ shape: SHAPE }], run: ([x]) => tf.max(x, -1), reference: ([x]) => R.max(x, [2]) },
  { name: 'min with keepDims', kernels: ['Min'], inputs: [{ shape: SHAPE }], run: ([x]) => tf.min(x, 1, true), reference: ([x]) => R.min(x, [1], true) },
  { name: 'prod', kernels: ['Prod'], inputs: [positive([3, 4], 0.7, 1.3)], run: ([x]) => tf.prod(x, 1), reference: ([x]) => R.prod(x, [1]) },
  {
    name: 'argMax',
    kernels: ['ArgMax'],
    inputs: [{ shape: SHAPE }],
    run: ([x]) => tf.argMax(x, -1),
    reference: ([x]) => argMaxRef(x),
    gradient: false,
    note: 'integer output',
  },
  {
    name: 'concat',
    kernels: ['Concat'],
    inputs: [{ shape: [2, 3, 2] }, { shape: [2, 1, 2] }, { shape: [2, 2, 2] }],
    run: (xs) => tf.concat(xs, 1),
    reference: (xs) => R.concat(xs, 1),
  },
  { name: 'slice', kernels: ['Slice'], inputs: [{ shape: SHAPE }], run: ([x]) => tf.slice(x, [1, 0, 1], [1, 2, 3]), reference: ([x]) => R.slice(x, [1, 0, 1], [1, 2, 3]) },
  {
    name: 'stridedSlice with strides 2 and -1',
    kernels: ['StridedSlice'],
    inputs: [{ shape: [2, 3, 4] }],
    run: ([x]) => tf.stridedSlice(x, [0, 2, 0], [2, -4, 4], [1, -1, 2]),
    reference: ([x]) => R.stridedSlice(x, [0, 2, 0], [1, -1, 2], [2, 3, 2]),
  },
  {
    // x[:, 1, ::2]: tfjs 4.22's CPU kernel took the wrong elements when an axis is shrunk and another strided.
    name: 'stridedSlice, middle axis shrunk, last strided',
    kernels: ['StridedSlice'],
    inputs: [{ shape: [2, 3, 4] }],
    run: ([x]) => tf.stridedSlice(x, [0, 1, 0], [2, 2, 4], [1, 1, 2], 0, 0, 0, 0, 0b010),
    reference: ([x]) => R.reshape(R.stridedSlice(x, [0, 1, 0], [1, 1, 2], [2, 1, 2]), [2, 2]),
  },
  {
    // x[-1, ::-2, 1:]: a negative shrunk index, a negative stride.
    name: 'stridedSlice, first axis shrunk at -1, stride -2',
    kernels: ['StridedSlice'],
    inputs: [{ shape: [2, 3, 4] }],
    run: ([x]) => tf.stridedSlice(x, [-1, 0, 1], [0, 0, 4], [1, -2, 1], 0b010, 0b010, 0, 0, 0b001),
    reference: ([x]) => R.reshape(R.stridedSlice(x, [1, 2, 1], [1, -2, 1], [1, 2, 3]), [2, 3]),
  },
  {
    // x[..., None, 1::2]: an ellipsis and a new axis.
    name: 'stridedSlice with an ellipsis and a new axis',
    kernels: ['StridedSlice'],
    inputs: [{ shape: [2, 3, 4] }],
    run: ([x]) => tf.stridedSlice(x, [0, 0, 1], [0, 0, 4], [1, 1, 2], 0, 0, 0b001, 0b010, 0),
    reference: ([x]) => R.reshape(R.stridedSlice(x, [0, 0, 1], [1, 1, 2], [2, 3, 2]), [2, 3, 1, 2]),
  },
  {
    name: 'pad',
    kernels: ['PadV2'],
    inputs: [{ shape: [2, 3] }],
    run: ([x]) => tf.pad(x, [[1, 0], [2, 1]], 0.5),
    reference: ([x]) => R.pad(x, [[1, 0], [2, 1]], 0.5),
  },
  {
    name: 'gather with repeated indices',
    kernels: ['GatherV2'],
    inputs: [{ shape: [3, 4] }, { shape: [4], values: IDX, dtype: 'int32' }],
    run: ([x, i]) => tf.gather(x, i, 0),
    reference: ([x]) => R.gather(x, IDX, 0),
  },
  {
    name: 'gather per batch entry (batchDims 1)',
    kernels: ['GatherV2'],
    inputs: [{ shape: [2, 3, 2] }, { shape: [2, 3], values: BATCH_IDX.flat(), dtype: 'int32' }],
    run: ([x, i]) => tf.gather(x, i, 1, 1),
    reference: ([x]) => R.concat(BATCH_IDX.map((rows, b) => R.gather(R.slice(x, [b, 0, 0], [1, 3, 2]), rows, 1)), 0),
  },
  { name: 'transpose', kernels: ['Transpose'], inputs: [{ shape: SHAPE }], run: ([x]) => tf.transpose(x, [2, 0, 1]), reference: ([x]) => R.transpose(x, [2, 0, 1]) },
  { name: 'reshape', kernels: ['Reshape'], inputs: [{ shape: SHAPE }], run: ([x]) => tf.reshape(x, [4, 6]), reference: ([x]) => R.reshape(x, [4, 6]) },
  { name: 'tile', kernels: ['Tile'], inputs: [{ shape: [2, 3] }], run: ([x]) => tf.tile(x, [2, 3]), reference: ([x]) => R.tile(x, [2, 3]) },
  {
    name: 'oneHot',
    kernels: ['OneHot'],
    inputs: [{ shape: [4], values: IDX, dtype: 'int32' }],
    run: ([i]) => tf.oneHot(i as Tensor1D, 3),
    reference: () => R.nd([4, 3], IDX.flatMap((k) => [0, 1, 2].map((c) => (c === k ? 1 : 0)))),
    gradient: false,
    note: 'integer input',
  },
  {
    // tfjs-backend-wasm 4.22 ignored the dtype: float32 one-hot rows held int32 bit patterns (1 read as 1.4e-45).
    name: 'oneHot float32 with on/off values',
    kernels: ['OneHot'],
    inputs: [{ shape: [4], values: IDX, dtype: 'int32' }],
    run: ([i]) => tf.oneHot(i as Tensor1D, 3, 0.75, -0.5, 'float32'),
    reference: () => R.nd([4, 3], IDX.flatMap((k) => [0, 1, 2].map((c) => (c === k ? 0.75 : -0.5)))),
    gradient: false,
    note: 'integer input',
  },
  {
    name: 'cast int32 to float32',
    kernels: ['Cast'],
    inputs: [{ shape: [4], values: IDX, dtype: 'int32' }],
    run: ([i]) => tf.cast(i, 'float32'),
    reference: () => R.nd([4], IDX),
    gradient: false,
    note: 'integer input',
  },
];

function argMaxRef(x: Nd): Nd {
  const [a, b, c] = x.shape;
  const out = R.nd([a, b]);
  for (let i = 0; i < a * b; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (x.data[i * c + k] > x.data[i * c + best]) best = k;
    out.data[i] = best;
  }
  return out;
}

/** Every operation case, in report order. */
export const OP_CASES: readonly OpCase[] = [...ELEMENTWISE, ...NN, ...REDUCTIONS_AND_SHAPES, ...HIGH_RANK, ...ZERO_SIZE, ...REFUSALS];
