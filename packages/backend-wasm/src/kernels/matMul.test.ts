import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import '../index.js';

// One tensor's data used as weights in two shapes (a reshape shares the data): tfjs-backend-wasm 4.22 cached the
// XNNPACK operator packed for the first shape under the tensor id and reused it for the second.

let seed = 7;
/** Deterministic values in [-1, 1) (a small LCG: this package does not depend on @nutshell/tensor's Rng). */
const values = (n: number) =>
  Float32Array.from({ length: n }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 31 - 1;
  });
const W = values(216);
const X = values(4 * 27);
const Y = values(5 * 9);
const BIAS24 = values(24);
const IMG = values(2 * 5 * 5 * 4);

/** Runs `f` on a backend with fresh tensors made by `f`, and returns its outputs' values. */
async function on(backend: 'wasm' | 'cpu', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await useBackend(backend);
  const outs = f();
  const read = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outs);
  return read;
}

/** Each output of `f` on wasm agrees with the CPU backend's to 1e-5 (and holds no NaN). */
async function expectSameAsCpu(f: () => tf.Tensor[]): Promise<void> {
  const cpu = await on('cpu', () => tf.tidy(f));
  const wasm = await on('wasm', () => tf.tidy(f));
  expect(wasm.length).toBe(cpu.length);
  wasm.forEach((w, i) => {
    expect(w.length).toBe(cpu[i].length);
    w.forEach((v, j) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v - cpu[i][j])).toBeLessThan(1e-5);
    });
  });
}

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

describe('matrix products whose weights reuse another tensor’s data in another shape', () => {
  it('matMul by w [27, 8], then by reshape(w, [9, 24]), then by w again', async () => {
    await expectSameAsCpu(() => {
      const w = tf.tensor2d(W.subarray(0, 216), [27, 8]);
      const first = tf.matMul(tf.tensor2d(X, [4, 27]), w);
      const second = tf.matMul(tf.tensor2d(Y, [5, 9]), tf.reshape(w, [9, 24]));
      const third = tf.matMul(tf.tensor2d(X, [4, 27]), w);
      return [first, second, third];
    });
  });

  it('the reshaped use first, then the original shape', async () => {
    await expectSameAsCpu(() => {
      const w = tf.tensor2d(W, [27, 8]);
      const wide = tf.matMul(tf.tensor2d(Y, [5, 9]), tf.reshape(w, [9, 24]));
      return [wide, tf.matMul(tf.tensor2d(X, [4, 27]), w)];
    });
  });

  it('fused matMul (relu, leakyRelu, bias) with the same data in two shapes', async () => {
    // tfjs's cache key is (weights id, bias id, clamp): relu after relu collides, and leakyRelu clamps as linear,
    // so it collides with a plain matMul. A bias cannot collide (its length fixes the weights' shape).
    await expectSameAsCpu(() => {
      const w = tf.tensor2d(W, [27, 8]);
      const wide = tf.reshape(w, [9, 24]) as tf.Tensor2D;
      const x = tf.tensor2d(X, [4, 27]);
      const y = tf.tensor2d(Y, [5, 9]);
      const relu = tf.fused.matMul({ a: x, b: w, activation: 'relu' });
      const reluWide = tf.fused.matMul({ a: y, b: wide, activation: 'relu' });
      const plain = tf.matMul(x, w);
      const leakyWide = tf.fused.matMul({ a: y, b: wide, activation: 'leakyrelu', leakyreluAlpha: 0.1 });
      const biasWide = tf.fused.matMul({ a: y, b: wide, bias: tf.tensor1d(BIAS24), activation: 'relu' });
      return [relu, reluWide, plain, leakyWide, biasWide];
    });
  });

  it('conv2d and depthwiseConv2d with reshaped filters, and the filter as a matrix', async () => {
    // tfjs's convolution cache key includes the filter's full shape; checked here so it stays that way.
    await expectSameAsCpu(() => {
      const x = tf.tensor4d(IMG, [2, 5, 5, 4]);
      const w = tf.tensor4d(W.subarray(0, 144), [3, 3, 4, 4]);
      const a = tf.conv2d(x, w, 1, 'same');
      const x8 = tf.tensor4d(IMG, [2, 5, 10, 2]);
      const b = tf.conv2d(x8, tf.reshape(w, [3, 3, 2, 8]) as tf.Tensor4D, 1, 'valid');
      const c = tf.fused.conv2d({
        x: x8,
        filter: tf.reshape(w, [3, 3, 2, 8]) as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        activation: 'relu',
      });
      const d = tf.depthwiseConv2d(x, tf.reshape(w, [3, 3, 4, 4]) as tf.Tensor4D, 1, 'same');
      const e = tf.depthwiseConv2d(x8, tf.reshape(w, [3, 3, 2, 8]) as tf.Tensor4D, 1, 'same');
      const f = tf.matMul(tf.reshape(x, [50, 4]), tf.reshape(w, [4, 36]));
      return [a, b, c, d, e, f];
    });
  });

  it('leaks no tensors and no heap buffers (the copies are freed)', async () => {
    const w = tf.tensor2d(W, [27, 8]);
    const x = tf.tensor2d(X, [4, 27]);
    const y = tf.tensor2d(Y, [5, 9]);
    const bias = tf.tensor1d([0.5]);
    const step = () =>
      tf.tidy(() => [
        tf.matMul(x, w),
        tf.matMul(y, tf.reshape(w, [9, 24])),
        tf.fused.matMul({ a: x, b: w, bias }),
        tf.fused.matMul({ a: y, b: tf.reshape(w, [24, 9]), bias: tf.tensor1d(BIAS24), transposeB: true }),
      ]);
    tf.dispose(step());
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 5; i++) tf.dispose(step());
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    tf.dispose([w, x, y, bias]);
  });
});

describe('fused matMul biases', () => {
  // tfjs's loop for transposed and batched products gave every row after the first the last bias value, and its
  // XNNPACK path read a length-1 bias as if it had one value per column.
  it('a bias per column with transposes and batches', async () => {
    await expectSameAsCpu(() => {
      const a = tf.tensor2d(X.subarray(0, 12), [3, 4]);
      const b = tf.tensor2d(W.subarray(0, 20), [5, 4]);
      const bias = tf.tensor1d(BIAS24.subarray(0, 5));
      const a3 = tf.tensor3d(X.subarray(0, 24), [2, 3, 4]);
      const b3 = tf.tensor3d(W.subarray(0, 40), [2, 4, 5]);
      return [
        tf.fused.matMul({ a, b, bias, transposeB: true }),
        tf.fused.matMul({
          a: tf.transpose(a),
          b,
          bias,
          transposeA: true,
          transposeB: true,
          activation: 'relu',
        }),
        tf.fused.matMul({ a: a3, b: b3, bias }),
        tf.fused.matMul({ a: a3, b: tf.slice(b3, [0, 0, 0], [1, 4, 5]), bias, activation: 'relu6' }),
      ];
    });
  });

  it('a one-value bias on both paths', async () => {
    await expectSameAsCpu(() => {
      const a = tf.tensor2d(X.subarray(0, 12), [3, 4]);
      const b = tf.tensor2d(W.subarray(0, 20), [4, 5]);
      const bias = tf.tensor1d([0.75]);
      return [
        tf.fused.matMul({ a, b, bias }),
        tf.fused.matMul({ a, b: tf.transpose(b), bias, transposeB: true }),
      ];
    });
  });
});

/** a·b in float64 for [batch, m, k] · [batch, k, n] (a batch of 1 broadcasts), then bias and activation. */
function reference(
  a: Float32Array,
  [ba, m, k]: number[],
  b: Float32Array,
  [bb, , n]: number[],
  bias?: Float32Array,
  act: (v: number) => number = (v) => v,
): Float64Array {
  const batch = Math.max(ba, bb);
  const out = new Float64Array(batch * m * n);
  for (let i = 0; i < batch; i++) {
    const ao = (ba === 1 ? 0 : i) * m * k;
    const bo = (bb === 1 ? 0 : i) * k * n;
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < n; c++) {
        let s = bias ? bias[c % bias.length] : 0;
        for (let j = 0; j < k; j++) s += a[ao + r * k + j] * b[bo + j * n + c];
        out[(i * m + r) * n + c] = act(s);
      }
    }
  }
  return out;
}

/** `t` [..., r, c] with its last two axes swapped, on the host. */
function hostTranspose(t: Float32Array, batch: number, r: number, c: number): Float32Array {
  const out = new Float32Array(t.length);
  for (let i = 0; i < batch; i++)
    for (let x = 0; x < r; x++) for (let y = 0; y < c; y++) out[(i * c + y) * r + x] = t[(i * r + x) * c + y];
  return out;
}

async function expectClose(t: tf.Tensor, want: Float64Array, shape: number[]): Promise<void> {
  expect(t.shape).toEqual(shape);
  const got = await t.data();
  expect(got.length).toBe(want.length);
  let worst = 0;
  got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want[i]) / (1 + Math.abs(want[i])))));
  expect(worst).toBeLessThan(2e-5);
  t.dispose();
}

describe('every transpose and batch reaches a product that agrees with a float64 reference', () => {
  // Sizes on both sides of the per-entry threshold: 20·24·18 runs on XNNPACK entry by entry, 3·4·5 in tfjs's loop.
  const cases: Array<{ ba: number; bb: number; m: number; k: number; n: number }> = [
    { ba: 1, bb: 1, m: 64, k: 78, n: 32 },
    { ba: 3, bb: 1, m: 20, k: 24, n: 18 },
    { ba: 1, bb: 3, m: 20, k: 24, n: 18 },
    { ba: 3, bb: 3, m: 20, k: 24, n: 18 },
    { ba: 2, bb: 2, m: 3, k: 4, n: 5 },
  ];
  for (const { ba, bb, m, k, n } of cases) {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`[${ba}, ${m}, ${k}] · [${bb}, ${k}, ${n}], transposeA ${tA}, transposeB ${tB}, plain and fused (bias, relu)`, async () => {
        const a = values(ba * m * k);
        const b = values(bb * k * n);
        const bias = values(n);
        const aIn = tA ? hostTranspose(a, ba, m, k) : a;
        const bIn = tB ? hostTranspose(b, bb, k, n) : b;
        const outBatch = Math.max(ba, bb);
        const shape = [outBatch, m, n];
        const before = tf.memory().numTensors;
        const buffers = tf.engine().backend.numDataIds();
        const at = tf.tensor3d(aIn, tA ? [ba, k, m] : [ba, m, k]);
        const bt = tf.tensor3d(bIn, tB ? [bb, n, k] : [bb, k, n]);
        const biasT = tf.tensor1d(bias);
        await expectClose(tf.matMul(at, bt, tA, tB), reference(a, [ba, m, k], b, [bb, k, n]), shape);
        await expectClose(
          tf.fused.matMul({ a: at, b: bt, transposeA: tA, transposeB: tB, bias: biasT, activation: 'relu' }),
          reference(a, [ba, m, k], b, [bb, k, n], bias, (v) => Math.max(v, 0)),
          shape,
        );
        tf.dispose([at, bt, biasT]);
        expect(tf.memory().numTensors).toBe(before);
        expect(tf.engine().backend.numDataIds()).toBe(buffers);
      });
    }
  }

  it('a rank-4 batch against one matrix, transposed', async () => {
    const a = values(2 * 3 * 5 * 7);
    const b = values(7 * 4);
    const at = tf.tensor4d(a, [2, 3, 5, 7]);
    const bt = tf.tensor2d(hostTranspose(b, 1, 7, 4), [4, 7]);
    const t = tf.matMul(at, bt, false, true);
    expect(t.shape).toEqual([2, 3, 5, 4]);
    await expectClose(tf.reshape(t, [6, 5, 4]), reference(a, [6, 5, 7], b, [1, 7, 4]), [6, 5, 4]);
    tf.dispose([at, bt, t]);
  });
});

describe('an empty inner dimension gives zeros (plus the bias), not uninitialised memory', () => {
  it('matMul of [2, 0] and [0, 3], with and without transposes and batches', async () => {
    // Fill the heap with non-zero values first, so that an output left unwritten would show.
    tf.dispose(tf.fill([64, 64], 7));
    await expectClose(tf.matMul(tf.zeros([2, 0]), tf.zeros([0, 3])), new Float64Array(6), [2, 3]);
    await expectClose(tf.matMul(tf.zeros([0, 2]), tf.zeros([3, 0]), true, true), new Float64Array(6), [2, 3]);
    await expectClose(tf.matMul(tf.zeros([4, 2, 0]), tf.zeros([4, 0, 3])), new Float64Array(24), [4, 2, 3]);
  });

  it('fused matMul of [2, 0] and [0, 3] with a bias and relu is relu(bias) in every row', async () => {
    const bias = tf.tensor1d([1.5, -2, 0.25]);
    const t = tf.fused.matMul({
      a: tf.zeros([2, 0]) as tf.Tensor2D,
      b: tf.zeros([0, 3]) as tf.Tensor2D,
      bias,
      activation: 'relu',
    });
    await expectClose(t, Float64Array.from([1.5, 0, 0.25, 1.5, 0, 0.25]), [2, 3]);
    bias.dispose();
  });

  it('an empty output is empty', async () => {
    const t = tf.matMul(tf.zeros([0, 5]), tf.zeros([5, 3]));
    expect(t.shape).toEqual([0, 3]);
    expect((await t.data()).length).toBe(0);
    t.dispose();
  });
});
