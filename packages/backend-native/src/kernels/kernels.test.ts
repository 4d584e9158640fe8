import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { nativeBackend } from '../index.js';
import { columnPairBias, columnPairsFit, columnPairWeights } from './columnPairs.js';
import { fallbackCounts } from './index.js';
import { graphRuns, setSliceBytes, SLICE_BYTES } from '../onnxRuntime.js';
import { setNativeMinWork, staysOnWasm } from './matMul.js';
import type { NativeMinWork } from './matMul.js';
import { filterOIHWBiBo, filterOIHWBo, nchwcBlockSize, setNchwcBlockSize } from './nchwc.js';

// Each native kernel against an independent float64 loop written here, and the cases that fall back to wasm.

let seed = 11;
const values = (n: number) =>
  Float32Array.from({ length: n }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 31 - 1;
  });

async function expectClose(t: tf.Tensor, want: Float64Array, shape: number[], tol = 2e-5): Promise<void> {
  expect(t.shape).toEqual(shape);
  const got = await t.data();
  expect(got.length).toBe(want.length);
  let worst = 0;
  got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want[i]) / (1 + Math.abs(want[i])))));
  expect(worst).toBeLessThan(tol);
  t.dispose();
}

/** [batch, m, k] · [batch, k, n] in float64 (a batch of 1 broadcasts), then bias and activation. */
function matMulRef(
  a: Float32Array,
  [ba, m, k]: number[],
  b: Float32Array,
  [bb, , n]: number[],
  bias?: Float32Array,
  act = (v: number) => v,
) {
  const batch = Math.max(ba, bb);
  const out = new Float64Array(batch * m * n);
  for (let i = 0; i < batch; i++)
    for (let r = 0; r < m; r++)
      for (let c = 0; c < n; c++) {
        let s = bias ? bias[c % bias.length] : 0;
        for (let j = 0; j < k; j++)
          s += a[(ba === 1 ? 0 : i) * m * k + r * k + j] * b[(bb === 1 ? 0 : i) * k * n + j * n + c];
        out[(i * m + r) * n + c] = act(s);
      }
  return out;
}

function hostTranspose(t: Float32Array, batch: number, r: number, c: number): Float32Array {
  const out = new Float32Array(t.length);
  for (let i = 0; i < batch; i++)
    for (let x = 0; x < r; x++) for (let y = 0; y < c; y++) out[(i * c + y) * r + x] = t[(i * r + x) * c + y];
  return out;
}

interface Conv {
  B: number;
  H: number;
  W: number;
  CI: number;
  KH: number;
  KW: number;
  CO: number;
  s: number;
  d: number;
  top: number;
  left: number;
  OH: number;
  OW: number;
}

/** The input position a filter tap reads for an output position, or -1 outside the image. */
const tap = (c: Conv, b: number, oh: number, ow: number, kh: number, kw: number, ci: number) => {
  const r = oh * c.s + kh * c.d - c.top;
  const q = ow * c.s + kw * c.d - c.left;
  return r < 0 || r >= c.H || q < 0 || q >= c.W ? -1 : ((b * c.H + r) * c.W + q) * c.CI + ci;
};

/** Forward conv, input gradient and filter gradient of sum(y · dy), in float64 from the definition. */
function convRef(c: Conv, x: Float32Array, f: Float32Array, dy: Float32Array) {
  const y = new Float64Array(c.B * c.OH * c.OW * c.CO);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(f.length);
  for (let b = 0; b < c.B; b++)
    for (let oh = 0; oh < c.OH; oh++)
      for (let ow = 0; ow < c.OW; ow++)
        for (let kh = 0; kh < c.KH; kh++)
          for (let kw = 0; kw < c.KW; kw++)
            for (let ci = 0; ci < c.CI; ci++) {
              const at = tap(c, b, oh, ow, kh, kw, ci);
              if (at < 0) continue;
              for (let co = 0; co < c.CO; co++) {
                const o = ((b * c.OH + oh) * c.OW + ow) * c.CO + co;
                const fi = ((kh * c.KW + kw) * c.CI + ci) * c.CO + co;
                y[o] += x[at] * f[fi];
                dx[at] += dy[o] * f[fi];
                dw[fi] += dy[o] * x[at];
              }
            }
  return { y, dx, dw };
}

/** A depthwise filter [taps, ci, m] as a full conv filter [taps, ci, ci·m], zero between different channels. */
function depthwiseAsFull(f: Float32Array, taps: number, CI: number, CM: number): Float32Array {
  const full = new Float32Array(taps * CI * CI * CM);
  for (let t = 0; t < taps; t++)
    for (let ci = 0; ci < CI; ci++)
      for (let m = 0; m < CM; m++) full[(t * CI + ci) * CI * CM + ci * CM + m] = f[(t * CI + ci) * CM + m];
  return full;
}

let minWork: NativeMinWork;
beforeAll(async () => {
  await useBackend(nativeBackend);
  minWork = setNativeMinWork({ any: 0, skinny: 0 }); // these products are small: run them natively all the same
});
afterAll(async () => {
  setNativeMinWork(minWork);
  await useBackend('cpu');
});

describe('matrix products on ONNX Runtime', () => {
  const cases = [
    { ba: 1, bb: 1, m: 33, k: 70, n: 17 },
    { ba: 3, bb: 1, m: 5, k: 8, n: 6 },
    { ba: 1, bb: 3, m: 5, k: 8, n: 6 },
    { ba: 2, bb: 2, m: 4, k: 3, n: 5 },
  ];
  for (const { ba, bb, m, k, n } of cases)
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
        const before = { ...fallbackCounts() };
        const at = tf.tensor3d(tA ? hostTranspose(a, ba, m, k) : a, tA ? [ba, k, m] : [ba, m, k]);
        const bt = tf.tensor3d(tB ? hostTranspose(b, bb, k, n) : b, tB ? [bb, n, k] : [bb, k, n]);
        const biasT = tf.tensor1d(bias);
        const shape = [Math.max(ba, bb), m, n];
        await expectClose(tf.matMul(at, bt, tA, tB), matMulRef(a, [ba, m, k], b, [bb, k, n]), shape);
        const fused = tf.fused.matMul({
          a: at,
          b: bt,
          transposeA: tA,
          transposeB: tB,
          bias: biasT,
          activation: 'relu',
        });
        await expectClose(
          fused,
          matMulRef(a, [ba, m, k], b, [bb, k, n], bias, (v) => Math.max(v, 0)),
          shape,
        );
        expect(fallbackCounts()).toEqual(before); // both ran natively
        tf.dispose([at, bt, biasT]);
      });
    }

  it('a product under the work threshold runs on wasm’s XNNPACK kernel (not a fallback), with the same values', async () => {
    const a = values(4 * 6);
    const b = values(6 * 3);
    const before = { ...fallbackCounts() };
    setNativeMinWork({ any: 1 << 20, skinny: 1 << 20 });
    try {
      await expectClose(
        tf.matMul(tf.tensor2d(a, [4, 6]), tf.tensor2d(b, [6, 3])),
        matMulRef(a, [1, 4, 6], b, [1, 6, 3]),
        [4, 3],
      );
    } finally {
      setNativeMinWork({ any: 0, skinny: 0 });
    }
    expect(fallbackCounts()).toEqual(before);
  });

  it('by default, small products and skinny ones under 1 M multiply-adds stay on wasm; transposed dX products do not', () => {
    const previous = setNativeMinWork({ any: 1 << 16, skinny: 1 << 20 });
    try {
      const one = { batchA: 1, batchB: 1 };
      // 16×32·32×64 (32 K): under the floor for any product.
      expect(staysOnWasm({ ...one, m: 16, k: 32, n: 64 }, false, false)).toBe(true);
      // W1's forward 64×784·784×10 and weight gradient (64×784)ᵀ·64×10 (0.5 M, 10 columns): wasm's SIMD loop.
      expect(staysOnWasm({ ...one, m: 64, k: 784, n: 10 }, false, false, 'linear')).toBe(true);
      expect(staysOnWasm({ ...one, m: 784, k: 64, n: 10 }, true, false)).toBe(true);
      // The same shape with a relu, or a batch of b's: wasm's loop does not take them.
      expect(staysOnWasm({ ...one, m: 64, k: 784, n: 10 }, false, false, 'relu')).toBe(false);
      expect(staysOnWasm({ batchA: 2, batchB: 2, m: 64, k: 392, n: 10 }, false, false)).toBe(false);
      // The main job's dX = dY·Wᵀ, 32×10·(512×10)ᵀ (164 K): transposed b.
      expect(staysOnWasm({ ...one, m: 32, k: 10, n: 512 }, false, true)).toBe(false);
      // 1 M and more: native whatever the shape.
      expect(staysOnWasm({ ...one, m: 128, k: 1024, n: 8 }, false, false)).toBe(false);
    } finally {
      setNativeMinWork(previous);
    }
  });

  it('an empty inner dimension gives zeros, plus the bias', async () => {
    tf.dispose(tf.fill([64, 64], 7)); // non-zero memory around, so an unwritten output would show
    await expectClose(tf.matMul(tf.zeros([2, 0]), tf.zeros([0, 3])), new Float64Array(6), [2, 3]);
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

  it('a PReLU fusion falls back to the wasm kernel, with the right values, and is counted', async () => {
    const a = values(6);
    const b = values(9);
    const alpha = Float32Array.from([0.1, 0.5, 2]);
    const before = fallbackCounts()._FusedMatMul ?? 0;
    const t = tf.fused.matMul({
      a: tf.tensor2d(a, [2, 3]),
      b: tf.tensor2d(b, [3, 3]),
      activation: 'prelu',
      preluActivationWeights: tf.tensor1d(alpha),
    });
    const plain = matMulRef(a, [1, 2, 3], b, [1, 3, 3]);
    await expectClose(
      t,
      plain.map((v, i) => (v < 0 ? v * alpha[i % 3] : v)),
      [2, 3],
    );
    expect(fallbackCounts()._FusedMatMul).toBe(before + 1);
  });

  it('bad shapes raise tfjs’s error, as on every backend, and leak nothing', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    const b = tf.zeros([4, 5]) as tf.Tensor2D;
    const n = tf.memory().numTensors;
    expect(() => tf.matMul(a, b)).toThrow(/inner shapes \(3\) and \(4\)/);
    expect(tf.memory().numTensors).toBe(n);
    tf.dispose([a, b]);
  });
});

describe('convolutions and their gradients on ONNX Runtime', () => {
  const cases: Array<{ name: string; c: Conv; pad: 'same' | 'valid' }> = [
    {
      name: 'LeNet conv 1 (5×5, valid)',
      pad: 'valid',
      c: { B: 4, H: 12, W: 12, CI: 1, KH: 5, KW: 5, CO: 3, s: 1, d: 1, top: 0, left: 0, OH: 8, OW: 8 },
    },
    {
      name: '3×3 stride 2, same',
      pad: 'same',
      c: { B: 2, H: 9, W: 8, CI: 3, KH: 3, KW: 3, CO: 4, s: 2, d: 1, top: 1, left: 0, OH: 5, OW: 4 },
    },
    {
      name: '4×2 stride 3, valid (rows the forward pass never reads)',
      pad: 'valid',
      c: { B: 2, H: 11, W: 7, CI: 2, KH: 4, KW: 2, CO: 3, s: 3, d: 1, top: 0, left: 0, OH: 3, OW: 2 },
    },
    // ONNX Runtime's NCHWc kernels (nchwc.ts): the forward pass where ci < block or ci fills whole blocks; the filter
    // gradient where the batch and co fill whole blocks (16 on AVX-512, 8 on AVX2).
    {
      name: 'NCHWc: blocked input (ci 16), filter gradient (b 16, co 16), 3×2 valid',
      pad: 'valid',
      c: { B: 16, H: 6, W: 5, CI: 16, KH: 3, KW: 2, CO: 16, s: 1, d: 1, top: 0, left: 0, OH: 4, OW: 4 },
    },
    {
      name: 'NCHWc: NCHW input (ci 3), filter gradient at stride 2 (a dilated NCHWc Conv), same',
      pad: 'same',
      c: { B: 16, H: 7, W: 6, CI: 3, KH: 3, KW: 3, CO: 16, s: 2, d: 1, top: 1, left: 0, OH: 4, OW: 3 },
    },
    {
      name: 'one input channel, 7 filters, even width, odd filter width: forward in column pairs (columnPairs.ts)',
      pad: 'valid',
      c: { B: 1, H: 5, W: 8, CI: 1, KH: 3, KW: 3, CO: 7, s: 1, d: 1, top: 0, left: 0, OH: 3, OW: 6 },
    },
    {
      name: 'one input channel, 16 filters (a whole block on AVX-512: not in column pairs), 2 images, 6×12, 5×5',
      pad: 'valid',
      c: { B: 2, H: 6, W: 12, CI: 1, KH: 5, KW: 5, CO: 16, s: 1, d: 1, top: 0, left: 0, OH: 2, OW: 8 },
    },
    {
      name: 'one input channel, b and co filling blocks: filter gradient on patch rows, not NCHWc (odd 9×11, 3×4)',
      pad: 'valid',
      c: { B: 16, H: 9, W: 11, CI: 1, KH: 3, KW: 4, CO: 16, s: 1, d: 1, top: 0, left: 0, OH: 7, OW: 8 },
    },
    {
      name: 'ci 20 (neither under a block nor whole blocks: plain Conv forward), NCHWc filter gradient',
      pad: 'valid',
      c: { B: 32, H: 5, W: 5, CI: 20, KH: 2, KW: 2, CO: 32, s: 1, d: 1, top: 0, left: 0, OH: 4, OW: 4 },
    },
  ];
  for (const { name, c, pad } of cases) {
    it(`${name}: forward, input gradient and filter gradient`, async () => {
      const x = values(c.B * c.H * c.W * c.CI);
      const f = values(c.KH * c.KW * c.CI * c.CO);
      const dy = values(c.B * c.OH * c.OW * c.CO);
      const ref = convRef(c, x, f, dy);
      const before = { ...fallbackCounts() };
      const xt = tf.tensor4d(x, [c.B, c.H, c.W, c.CI]);
      const ft = tf.tensor4d(f, [c.KH, c.KW, c.CI, c.CO]);
      const dyt = tf.tensor4d(dy, [c.B, c.OH, c.OW, c.CO]);
      await expectClose(tf.conv2d(xt, ft, c.s, pad), ref.y, [c.B, c.OH, c.OW, c.CO]);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, pad),
      )([xt, ft], dyt);
      await expectClose(dx, ref.dx, [c.B, c.H, c.W, c.CI]);
      await expectClose(dw, ref.dw, [c.KH, c.KW, c.CI, c.CO]);
      expect(fallbackCounts()).toEqual(before);
      tf.dispose([xt, ft, dyt]);
    });
  }

  it('fused conv2d with bias and relu, and a dilated conv', async () => {
    const c: Conv = {
      B: 2,
      H: 7,
      W: 7,
      CI: 2,
      KH: 3,
      KW: 3,
      CO: 3,
      s: 1,
      d: 2,
      top: 0,
      left: 0,
      OH: 3,
      OW: 3,
    };
    const x = values(2 * 7 * 7 * 2);
    const f = values(3 * 3 * 2 * 3);
    const bias = values(3);
    const ref = convRef(c, x, f, new Float32Array(2 * 3 * 3 * 3));
    const xt = tf.tensor4d(x, [2, 7, 7, 2]);
    const ft = tf.tensor4d(f, [3, 3, 2, 3]);
    await expectClose(tf.conv2d(xt, ft, 1, 'valid', 'NHWC', 2), ref.y, [2, 3, 3, 3]);
    const fused = tf.fused.conv2d({
      x: xt,
      filter: ft,
      strides: 1,
      pad: 'valid',
      dilations: 2,
      bias: tf.tensor1d(bias),
      activation: 'relu',
    });
    await expectClose(
      fused,
      ref.y.map((v, i) => Math.max(v + bias[i % 3], 0)),
      [2, 3, 3, 3],
    );
    tf.dispose([xt, ft]);
  });

  const fusedCases: Array<[string, Conv]> = [
    ['', { B: 2, H: 6, W: 5, CI: 2, KH: 3, KW: 2, CO: 3, s: 1, d: 1, top: 0, left: 0, OH: 4, OW: 4 }],
    // columnPairs.ts where the block is 16: one channel, 2·5 filters ≤ a block, even width, odd filter width.
    [
      ', one channel in column pairs',
      { B: 3, H: 7, W: 10, CI: 1, KH: 3, KW: 5, CO: 5, s: 1, d: 1, top: 0, left: 0, OH: 5, OW: 6 },
    ],
  ];
  for (const [label, c] of fusedCases)
    it(`fused conv2d${label}: bias in the graph (per channel or one value), each activation, no fallback`, async () => {
      const x = values(c.B * c.H * c.W * c.CI);
      const f = values(c.KH * c.KW * c.CI * c.CO);
      const ref = convRef(c, x, f, new Float32Array(c.B * c.OH * c.OW * c.CO)).y;
      const xt = tf.tensor4d(x, [c.B, c.H, c.W, c.CI]);
      const ft = tf.tensor4d(f, [c.KH, c.KW, c.CI, c.CO]);
      const perChannel = values(c.CO);
      const acts: Array<[tf.fused.Activation, (v: number) => number]> = [
        ['linear', (v) => v],
        ['relu', (v) => Math.max(v, 0)],
        ['leakyrelu', (v) => (v < 0 ? 0.15 * v : v)],
        ['relu6', (v) => Math.min(Math.max(v, 0), 6)],
        ['sigmoid', (v) => 1 / (1 + Math.exp(-v))],
      ];
      const before = { ...fallbackCounts() };
      for (const [activation, act] of acts)
        for (const bias of [perChannel, Float32Array.of(-0.25), undefined]) {
          const b = bias && tf.tensor1d(bias);
          const y = tf.fused.conv2d({
            x: xt,
            filter: ft,
            strides: 1,
            pad: 'valid',
            bias: b,
            activation,
            leakyreluAlpha: 0.15,
          });
          await expectClose(
            y,
            ref.map((v, i) => act(v + (bias ? bias[bias.length === 1 ? 0 : i % c.CO] : 0))),
            [c.B, c.OH, c.OW, c.CO],
          );
          b?.dispose();
        }
      expect(fallbackCounts()).toEqual(before);
      tf.dispose([xt, ft]);
    });

  it('depthwise conv2d (multiplier 2) and its input gradient natively', async () => {
    const [B, H, W, CI, CM, K] = [2, 6, 6, 3, 2, 3];
    const x = values(B * H * W * CI);
    const f = values(K * K * CI * CM);
    const dy = values(B * 4 * 4 * CI * CM);
    const c: Conv = { B, H, W, CI, KH: K, KW: K, CO: CI * CM, s: 1, d: 1, top: 0, left: 0, OH: 4, OW: 4 };
    const ref = convRef(c, x, depthwiseAsFull(f, K * K, CI, CM), dy);
    const before = { ...fallbackCounts() };
    const xt = tf.tensor4d(x, [B, H, W, CI]);
    const ft = tf.tensor4d(f, [K, K, CI, CM]);
    await expectClose(tf.depthwiseConv2d(xt, ft, 1, 'valid'), ref.y, [B, 4, 4, CI * CM]);
    const [dx] = tf.grads((a: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, ft, 1, 'valid'))(
      [xt],
      tf.tensor4d(dy, [B, 4, 4, CI * CM]),
    );
    await expectClose(dx, ref.dx, [B, H, W, CI]);
    expect(fallbackCounts()).toEqual(before);
    tf.dispose([xt, ft]);
  });

  const depthwiseCases: Array<{ name: string; c: Conv; CM: number; pad: 'same' | 'valid' }> = [
    {
      name: '3×3, multiplier 2, valid',
      CM: 2,
      pad: 'valid',
      c: { B: 2, H: 6, W: 6, CI: 3, KH: 3, KW: 3, CO: 6, s: 1, d: 1, top: 0, left: 0, OH: 4, OW: 4 },
    },
    {
      name: '3×3 stride 2, same',
      CM: 1,
      pad: 'same',
      c: { B: 2, H: 7, W: 8, CI: 2, KH: 3, KW: 3, CO: 2, s: 2, d: 1, top: 1, left: 0, OH: 4, OW: 4 },
    },
    {
      name: '3×2 dilated 2, multiplier 2, valid',
      CM: 2,
      pad: 'valid',
      c: { B: 1, H: 7, W: 6, CI: 2, KH: 3, KW: 2, CO: 4, s: 1, d: 2, top: 0, left: 0, OH: 3, OW: 4 },
    },
  ];
  for (const { name, c, CM, pad } of depthwiseCases)
    it(`depthwise filter gradient natively, ${name}, against float64`, async () => {
      const x = values(c.B * c.H * c.W * c.CI);
      const f = values(c.KH * c.KW * c.CI * CM);
      const dy = values(c.B * c.OH * c.OW * c.CO);
      const ref = convRef(c, x, depthwiseAsFull(f, c.KH * c.KW, c.CI, CM), dy);
      const dwRef = new Float64Array(f.length);
      for (let t = 0; t < c.KH * c.KW; t++)
        for (let ci = 0; ci < c.CI; ci++)
          for (let m = 0; m < CM; m++)
            dwRef[(t * c.CI + ci) * CM + m] = ref.dw[(t * c.CI + ci) * c.CO + ci * CM + m];
      const before = { ...fallbackCounts() };
      const sessions = nativeBackend.info().extra?.sessions as number;
      const xt = tf.tensor4d(x, [c.B, c.H, c.W, c.CI]);
      const dyt = tf.tensor4d(dy, [c.B, c.OH, c.OW, c.CO]);
      const dw = tf
        .engine()
        .runKernel(
          tf.DepthwiseConv2dNativeBackpropFilter,
          { x: xt, dy: dyt },
          { strides: c.s, pad, dilations: c.d, filterShape: [c.KH, c.KW, c.CI, CM] },
        ) as tf.Tensor;
      await expectClose(dw, dwRef, [c.KH, c.KW, c.CI, CM]);
      expect(fallbackCounts()).toEqual(before);
      expect(nativeBackend.info().extra?.sessions).toBeGreaterThan(sessions); // ran in ONNX Runtime
      tf.dispose([xt, dyt]);
    });

  it('a depthwise filter gradient the native kernel does not take (NCHW) runs the wasm kernel, counted', async () => {
    const x = tf.tensor4d(values(2 * 5 * 5 * 2), [2, 5, 5, 2]);
    const dy = tf.tensor4d(values(2 * 3 * 3 * 2), [2, 3, 3, 2]);
    const attrs = { strides: 1, pad: 'valid', dilations: 1, filterShape: [3, 3, 2, 1], dataFormat: 'NCHW' };
    const run = () =>
      tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, attrs) as tf.Tensor;
    const before = fallbackCounts().DepthwiseConv2dNativeBackpropFilter ?? 0;
    const n = tf.memory().numTensors;
    const got = await run().data();
    expect(fallbackCounts().DepthwiseConv2dNativeBackpropFilter).toBe(before + 1);
    expect(tf.memory().numTensors).toBe(n + 1);
    await useBackend('wasm');
    const want = await run().data();
    await useBackend(nativeBackend);
    expect(Array.from(got)).toEqual(Array.from(want));
    tf.dispose([x, dy]);
  });

  it('NCHW data falls back to the wasm kernel, which rejects it as on wasm', () => {
    const x = tf.zeros([1, 2, 4, 4]) as tf.Tensor4D;
    const f = tf.zeros([3, 3, 2, 2]) as tf.Tensor4D;
    const n = tf.memory().numTensors;
    expect(() => tf.conv2d(x, f, 1, 'same', 'NCHW')).toThrow(
      "wasm backend Conv2D does not support dataFormat:'channelsFirst'. Please use 'channelsLast'.",
    );
    expect(tf.memory().numTensors).toBe(n);
    tf.dispose([x, f]);
  });
});

describe('1,000 training steps', () => {
  it('leak no tensor, no heap buffer and no session', async () => {
    const x = tf.tensor4d(values(2 * 8 * 8 * 2), [2, 8, 8, 2]);
    const w = tf.variable(tf.tensor4d(values(3 * 3 * 2 * 4), [3, 3, 2, 4]));
    const d = tf.variable(tf.tensor2d(values(4 * 4 * 4 * 5), [4 * 4 * 4, 5]));
    const y = tf.oneHot(tf.tensor1d([1, 3], 'int32'), 5);
    const optimizer = tf.train.adam(1e-3);
    const step = () =>
      tf.dispose(
        optimizer.minimize(() => {
          const h = tf.relu(tf.conv2d(x, w as tf.Tensor4D, 2, 'same'));
          const logits = tf.fused.matMul({
            a: tf.reshape(h, [2, -1]) as tf.Tensor2D,
            b: d as tf.Tensor2D,
            activation: 'relu',
          });
          return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
        }, true) ?? [],
      );
    step();
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    const sessions = nativeBackend.info().extra?.sessions;
    for (let i = 0; i < 1000; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    expect(nativeBackend.info().extra?.sessions).toBe(sessions);
    optimizer.dispose();
    tf.dispose([x, w, d, y]);
  }, 120_000); // took 5–10 s on the shared 2-core machine at load 28, over vitest's 5 s default
});

describe("ONNX Runtime's NCHWc kernels", () => {
  it.skipIf(process.arch !== 'x64')(
    `the block size is found by the check (16 with AVX-512, 8 with AVX2), and NUTSHELL_NATIVE_NCHWC=0 turns them off${process.arch === 'x64' ? '' : ` (skipped: the expected block sizes are x64's, this is ${process.arch})`}`,
    () => {
      setNchwcBlockSize(undefined);
      expect([8, 16]).toContain(nchwcBlockSize());
      const saved = process.env.NUTSHELL_NATIVE_NCHWC;
      process.env.NUTSHELL_NATIVE_NCHWC = '0';
      setNchwcBlockSize(undefined);
      expect(nchwcBlockSize()).toBe(0);
      if (saved === undefined) delete process.env.NUTSHELL_NATIVE_NCHWC;
      else process.env.NUTSHELL_NATIVE_NCHWC = saved;
      setNchwcBlockSize(undefined);
      expect(nchwcBlockSize()).toBeGreaterThan(0);
    },
  );

  it('a column-pair convolution cut into slices of images gives the whole answer (3 slices of a 3-image batch)', async () => {
    const c: Conv = {
      B: 3,
      H: 6,
      W: 8,
      CI: 1,
      KH: 3,
      KW: 3,
      CO: 4,
      s: 1,
      d: 1,
      top: 0,
      left: 0,
      OH: 4,
      OW: 6,
    };
    const x = values(c.B * c.H * c.W);
    const f = values(c.KH * c.KW * c.CO);
    const bias = values(c.CO);
    const ref = convRef(c, x, f, new Float32Array(c.B * c.OH * c.OW * c.CO)).y;
    const xt = tf.tensor4d(x, [c.B, c.H, c.W, c.CI]);
    const ft = tf.tensor4d(f, [c.KH, c.KW, c.CI, c.CO]);
    const bt = tf.tensor1d(bias);
    const image = c.OH * c.OW * c.CO * 4;
    setSliceBytes(image); // one image a slice
    try {
      const before = graphRuns();
      const y = tf.fused.conv2d({
        x: xt,
        filter: ft,
        strides: 1,
        pad: 'valid',
        bias: bt,
        activation: 'relu',
      });
      expect(graphRuns() - before).toBe(c.B);
      await expectClose(
        y,
        ref.map((v, i) => Math.max(v + bias[i % c.CO], 0)),
        [c.B, c.OH, c.OW, c.CO],
      );
    } finally {
      setSliceBytes(SLICE_BYTES);
    }
    tf.dispose([xt, ft, bt]);
  });

  it('column pairs: which convolutions take them, and the pair filter against a direct reading of it', () => {
    const info = (
      x: [number, number, number, number],
      f: [number, number, number, number],
      s = 1,
      pad: 'valid' | 'same' = 'valid',
    ) => tf.backend_util.computeConv2DInfo(x, f, s, 1, pad);
    expect(columnPairsFit(info([64, 28, 28, 1], [5, 5, 1, 8]), 1, 16)).toBe(true); // W3's conv 1
    expect(columnPairsFit(info([64, 28, 28, 1], [5, 5, 1, 8]), 1, 8)).toBe(false); // 16 channels > a block of 8
    expect(columnPairsFit(info([32, 28, 28, 1], [5, 5, 1, 16]), 1, 16)).toBe(false); // the main job's: no padding to save
    expect(columnPairsFit(info([2, 9, 9, 1], [3, 3, 1, 4]), 1, 16)).toBe(false); // odd width
    expect(columnPairsFit(info([2, 8, 8, 1], [2, 2, 1, 4]), 1, 16)).toBe(false); // even filter width
    expect(columnPairsFit(info([2, 8, 8, 2], [3, 3, 2, 4]), 1, 16)).toBe(false); // two channels
    expect(columnPairsFit(info([2, 8, 8, 1], [3, 3, 1, 4], 2), 1, 16)).toBe(false); // stride 2
    expect(columnPairsFit(info([2, 8, 8, 1], [3, 3, 1, 4], 1, 'same'), 1, 16)).toBe(false); // padded
    expect(columnPairsFit(info([2, 8, 8, 1], [3, 3, 1, 4]), 1, 0)).toBe(false); // no NCHWc kernels
    // w [co 2, 1, kh 1, kw 3] = 1…6; pair filter [4, 2, 1, 2]: channel q·2 + f, input p, column k = w[f, 2k + p − q].
    const pairs = columnPairWeights(Float32Array.of(1, 2, 3, 4, 5, 6), 2, 1, 3);
    const at = (q: number, f: number, p: number, k: number) => pairs[((q * 2 + f) * 2 + p) * 2 + k];
    expect([at(0, 0, 0, 0), at(0, 0, 1, 0), at(0, 0, 0, 1), at(0, 0, 1, 1)]).toEqual([1, 2, 3, 0]);
    expect([at(1, 1, 0, 0), at(1, 1, 1, 0), at(1, 1, 0, 1), at(1, 1, 1, 1)]).toEqual([0, 4, 5, 6]);
    expect(Array.from(columnPairBias(Float32Array.of(7, 8)))).toEqual([7, 8, 7, 8]);
  });

  it('filters in the blocked orders: [o/B, i, kh·kw, B] and [o/B, i/B, kh·kw, B(i), B(o)], zero-padded', () => {
    const w = Float32Array.from({ length: 3 * 4 * 2 }, (_, k) => k + 1); // [o 3, i 4, taps 2]
    const bo = filterOIHWBo(w, 3, 4, 2, 4);
    expect(bo.length).toBe(4 * 4 * 2);
    expect(bo[((0 * 4 + 1) * 2 + 1) * 4 + 2]).toBe(w[(2 * 4 + 1) * 2 + 1]); // o 2, i 1, tap 1
    expect(bo[((0 * 4 + 1) * 2 + 1) * 4 + 3]).toBe(0); // padded output channel 3
    const bibo = filterOIHWBiBo(w, 3, 4, 2, 2); // 2 blocks of 2 outputs (4 padded), 2 blocks of 2 inputs
    expect(bibo.length).toBe(4 * 4 * 2);
    // o 2 (block 1, lane 0), i 3 (block 1, lane 1), tap 0
    expect(bibo[(((1 * 2 + 1) * 2 + 0) * 2 + 1) * 2 + 0]).toBe(w[(2 * 4 + 3) * 2 + 0]);
  });
});
