// BatchMatMul and _FusedMatMul for wasm: every float32 product reaches XNNPACK, and stays correct when one tensor's
// data comes back as weights in another shape.
//
// Speed. tfjs-backend-wasm 4.22 multiplies with XNNPACK only a single matrix with no transposes and batch 1
// (src/cc/batch_mat_mul_impl.cc); any transpose or batch runs an uncached scalar loop at about 3 GFLOP/s instead of
// 35–40. Backprop's dW = xᵀ·dY and dX = dY·Wᵀ are exactly those. So these kernels transpose first (a copy costs
// O(rows·cols), the product O(rows·cols·inner)), fold a batch of `a` against one `b` into the rows of a single
// product, and cut a batch of different `b`s into per-batch products. Only batches of tiny matrices, where setting up
// an XNNPACK operator costs more than the loop, and PReLU fusions (whose weights index the original output shape)
// keep tfjs's loop. Products with at most 16 columns and `b` not transposed (Dense's forward into few units, and its
// weight gradient xᵀ·dY) skip XNNPACK altogether: one SIMD pass over the heap (skinnyMatMul.ts) with no set-up.
//
// Zero inner dimension. tfjs's kernels leave the output uninitialised when k = 0 (Dense applied to a [2, 0] input
// returned heap garbage); the product of empty matrices is zeros, so k = 0 is computed as k = 1 with zero operands
// (bias and activation then apply as usual).
//
// Cached weights. XNNPACK's fully-connected operator is cached under {b's tensor id, bias id, activation}: b is packed
// for the shape it has the first time and reused while that id lives. A reshape shares the id, so matMul(x, w) with
// w [27, 8] followed by matMul(y, reshape(w, [9, 24])) ran the operator packed for [27, 8]: wrong values, or writes
// past the output. These kernels remember the shape each buffer was first multiplied in and, when it comes back in
// another shape, hand tfjs a fresh copy (freed right after, which also frees the operator tfjs cached for it).
//
// int32. tfjs-backend-wasm 4.22 has no int32 product; int32Product computes it exactly (see there).
//
// Bias. XNNPACK reads `cols` values from the bias, and the loop indexes it with min(row·cols + col, size − 1):
// biases of another length are handed to tfjs expanded to the length it reads.
import * as tf from '@tensorflow/tfjs-core';
import type {
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { ArgumentError } from '@nutshell/backend';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { asWasm, heapF32, release, runWasmKernel } from './heap.js';
import { describeMatMul } from './matMulProduct.js';
import type { MatMulProduct } from './matMulProduct.js';
import { SKINNY_MAX_COLUMNS, skinnyMatMul } from './skinnyMatMul.js';

/** Below this many multiply-adds per batch entry, tfjs's loop beats creating an XNNPACK operator per entry. */
const MIN_WORK_PER_BATCH_ENTRY = 16 * 16 * 16;

/** The wasm tensor id a buffer had and the [rows, cols] it was first used as weights with. */
interface FirstUse {
  readonly id: number;
  readonly rows: number;
  readonly cols: number;
}

// Keyed by dataId, shared by both kernels (they share tfjs's operator cache); entries go with their buffers.
const firstUse = new WeakMap<object, FirstUse>();

const size = tf.util.sizeFromShape;

/** `b` itself when its buffer is new or was first used in this shape; otherwise a copy the caller releases. */
function weightsFor(backend: BackendWasm, b: TensorInfo): TensorInfo {
  const id = backend.dataIdMap.get(b.dataId)!.id;
  const rows = b.shape[b.shape.length - 2];
  const cols = b.shape[b.shape.length - 1];
  const seen = firstUse.get(b.dataId);
  if (!seen || seen.id !== id) {
    firstUse.set(b.dataId, { id, rows, cols });
    return b;
  }
  if (seen.rows === rows && seen.cols === cols) return b;
  const copy = backend.makeOutput([...b.shape], b.dtype);
  heapF32(backend, copy).set(heapF32(backend, b));
  return copy;
}

/** A bias of the length tfjs's kernel indexes (`n`): `bias` itself when it has it, otherwise a tiled copy. */
function biasOfLength(backend: BackendWasm, bias: TensorInfo, n: number): TensorInfo {
  const have = size(bias.shape);
  if (have === n) return bias;
  const tiled = backend.makeOutput([n], 'float32');
  const from = heapF32(backend, bias);
  const to = heapF32(backend, tiled);
  for (let i = 0; i < n; i++) to[i] = from[i % have];
  return tiled;
}

/** The same buffer seen with another shape of the same size (no copy; tfjs's kernels only read it). */
const view = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });

/** A zero-filled float32 tensor in the wasm heap; the caller releases it. */
function zeros(backend: BackendWasm, shape: number[]): TensorInfo {
  const t = backend.makeOutput(shape, 'float32');
  heapF32(backend, t).fill(0);
  return t;
}

/** `t` with its last two axes swapped, as a new heap tensor the caller releases. */
function swapLastAxes(backend: BackendWasm, t: TensorInfo, batch: number): TensorInfo {
  const [r, c] = t.shape.slice(-2);
  return runWasmKernel(backend, tf.Transpose, { x: view(t, [batch, r, c]) }, { perm: [0, 2, 1] });
}

/** Rows `[from, from + count)` of a [batch, rows, cols] tensor as a new [1, rows, cols] tensor. */
function batchEntry(backend: BackendWasm, t: TensorInfo, entry: number, batch: number): TensorInfo {
  const [rows, cols] = t.shape.slice(-2);
  if (batch === 1) return view(t, [1, rows, cols]);
  const out = backend.makeOutput([1, rows, cols], 'float32');
  const len = rows * cols;
  heapF32(backend, out).set(heapF32(backend, t).subarray(entry * len, (entry + 1) * len));
  return out;
}

function routed(kernelName: string, previous: KernelFunc | undefined): KernelFunc {
  if (!previous)
    throw new Error(`@nutshell/backend-wasm: tfjs-backend-wasm has no ${kernelName} kernel to wrap.`);
  return (args) => {
    const inputs = args.inputs as {
      a: TensorInfo;
      b: TensorInfo;
      bias?: TensorInfo;
      preluActivationWeights?: TensorInfo;
    };
    const { a, b, bias } = inputs;
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (a.dtype === 'int32' && b.dtype === 'int32') {
      const q = describeMatMul(a, b, transposeA, transposeB);
      if (q)
        return int32Product(asWasm(args.backend), kernelName, inputs, args.attrs, q, transposeA, transposeB);
    }
    const p =
      a.dtype === 'float32' && b.dtype === 'float32'
        ? describeMatMul(a, b, transposeA, transposeB)
        : undefined;
    // Bad shapes and dtypes: tfjs's kernel throws its own error.
    if (!p) return previous(args);
    const backend = asWasm(args.backend);
    if (size(p.outShape) === 0) return backend.makeOutput(p.outShape, 'float32');
    const few = onSkinnyPass(
      backend,
      inputs,
      args.attrs as { activation?: string },
      p,
      transposeA,
      transposeB,
    );
    if (few) return few;
    const batch = Math.max(p.batchA, p.batchB);
    const loop =
      inputs.preluActivationWeights != null || (p.batchB > 1 && p.m * p.k * p.n < MIN_WORK_PER_BATCH_ENTRY);
    const temps: TensorInfo[] = [];
    const temp = (t: TensorInfo) => {
      temps.push(t);
      return t;
    };
    try {
      // Operands as [batch, m, k] and [batch, k, n], no transposes.
      let A: TensorInfo;
      let B: TensorInfo;
      if (p.k === 0) {
        A = temp(zeros(backend, [p.batchA, p.m, 1]));
        B = temp(zeros(backend, [p.batchB, 1, p.n]));
      } else {
        A = loop || !transposeA ? view(a, a.shape) : temp(swapLastAxes(backend, a, p.batchA));
        B = loop || !transposeB ? view(b, b.shape) : temp(swapLastAxes(backend, b, p.batchB));
      }
      if (loop) {
        const transposes = p.k === 0 ? { transposeA: false, transposeB: false } : { transposeA, transposeB };
        const loopArgs = {
          ...args,
          inputs: { ...args.inputs, a: A, b: B },
          attrs: { ...args.attrs, ...transposes },
        };
        const out = previousWithBias(backend, previous, loopArgs, bias, p, temp);
        return { ...out, shape: p.outShape };
      }
      A = view(A, [p.batchA, p.m, A.shape[A.shape.length - 1]]);
      B = view(B, [p.batchB, B.shape[B.shape.length - 2], p.n]);
      const kk = A.shape[2];
      const fullBias =
        bias && bias.shape.length === 1 && bias.dtype === 'float32' ? biasOfLength(backend, bias, p.n) : bias;
      if (fullBias && fullBias !== bias) temp(fullBias);
      const single = (x: TensorInfo, w: TensorInfo): TensorInfo => {
        const weights = weightsFor(backend, w);
        if (weights !== w) temp(weights);
        const more: NamedTensorInfoMap = { a: x, b: weights };
        if (fullBias) more.bias = fullBias;
        return previous({
          ...args,
          inputs: { ...args.inputs, ...more },
          attrs: { ...args.attrs, transposeA: false, transposeB: false },
        }) as TensorInfo;
      };
      if (p.batchB === 1) {
        // A batch of `a` against one `b` is one product with batch·m rows.
        const out = single(view(A, [1, p.batchA * p.m, kk]), view(B, [1, kk, p.n]));
        return { ...out, shape: p.outShape };
      }
      const out = backend.makeOutput(p.outShape, 'float32');
      const len = p.m * p.n;
      for (let i = 0; i < batch; i++) {
        const x = batchEntry(backend, A, i, p.batchA);
        const w = batchEntry(backend, B, i, p.batchB);
        const part = single(x, w);
        heapF32(backend, out).set(heapF32(backend, part).subarray(0, len), i * len);
        release(backend, part);
        if (x.dataId !== A.dataId) release(backend, x);
        if (w.dataId !== B.dataId) release(backend, w);
      }
      return out;
    } finally {
      for (const t of temps) release(backend, t);
    }
  };
}

/**
 * An int32 product, which tfjs-backend-wasm 4.22 refuses ("BatchMatMul for non non-float32 tensors not yet
 * supported") while tfjs's cpu computes it. Summed in int32 with wrap-around (Math.imul), as TensorFlow does; cpu sums
 * in float64 and stores to an Int32Array, which is the same number while the partial sums stay below 2^53. No
 * float32 anywhere: 16777217 · 1 + 2 is 16777219, not 16777220. A fused bias or activation on int32 is refused.
 */
function int32Product(
  backend: BackendWasm,
  kernelName: string,
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo },
  attrs: NamedAttrMap | undefined,
  p: MatMulProduct,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  const activation = (attrs as { activation?: string } | undefined)?.activation;
  if (inputs.bias || inputs.preluActivationWeights || (activation !== undefined && activation !== 'linear'))
    throw new ArgumentError(
      kernelName,
      `an int32 product takes no bias or activation here (got ${inputs.bias ? 'a bias' : `activation '${activation}'`}); multiply, then add the bias and apply the activation as separate ops.`,
    );
  const { m, k, n } = p;
  const out = backend.makeOutput(p.outShape, 'int32');
  // Views only now: making the output may have grown the heap.
  const A = backend.typedArrayFromHeap(inputs.a) as Int32Array;
  const B = backend.typedArrayFromHeap(inputs.b) as Int32Array;
  const C = backend.typedArrayFromHeap(out) as Int32Array;
  // Element (i, kk) of a and (kk, j) of b, whichever way each is stored.
  const aI = transposeA ? 1 : k;
  const aK = transposeA ? m : 1;
  const bK = transposeB ? 1 : n;
  const bJ = transposeB ? k : 1;
  const batch = Math.max(p.batchA, p.batchB);
  for (let e = 0; e < batch; e++) {
    const a0 = p.batchA === 1 ? 0 : e * m * k;
    const b0 = p.batchB === 1 ? 0 : e * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let kk = 0; kk < k; kk++)
          s = (s + Math.imul(A[a0 + i * aI + kk * aK], B[b0 + kk * bK + j * bJ])) | 0;
        C[e * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}

/**
 * Products with at most 16 columns, `b` not transposed and shared by the batch, a bias of one value per column
 * or none, no activation: one SIMD pass (skinnyMatMul.ts) instead of XNNPACK. Undefined where it does not apply.
 */
function onSkinnyPass(
  backend: BackendWasm,
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo },
  attrs: { activation?: string },
  p: MatMulProduct,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo | undefined {
  const { a, b, bias } = inputs;
  if (p.n > SKINNY_MAX_COLUMNS || p.k === 0 || transposeB || p.batchB !== 1 || (transposeA && p.batchA !== 1))
    return undefined;
  if (inputs.preluActivationWeights || (attrs.activation !== undefined && attrs.activation !== 'linear'))
    return undefined;
  if (bias && !(bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === p.n))
    return undefined;
  const out = backend.makeOutput(p.outShape, 'float32');
  // Byte addresses only now: making the output may have grown the heap.
  const at = (t: TensorInfo) => heapF32(backend, t).byteOffset;
  const ran = skinnyMatMul(backend, {
    a: at(a),
    aRowBytes: transposeA ? 4 : 4 * p.k,
    aStepBytes: transposeA ? 4 * p.m : 4,
    b: at(b),
    c: at(out),
    bias: bias ? at(bias) : undefined,
    rows: p.batchA * p.m,
    k: p.k,
    n: p.n,
  });
  if (ran) return out;
  release(backend, out);
  return undefined;
}

/** tfjs's own kernel (its loop), with a bias of the length the loop indexes. */
function previousWithBias(
  backend: BackendWasm,
  previous: KernelFunc,
  args: Parameters<KernelFunc>[0],
  bias: TensorInfo | undefined,
  p: MatMulProduct,
  temp: (t: TensorInfo) => TensorInfo,
): TensorInfo {
  if (bias && bias.shape.length === 1 && bias.dtype === 'float32' && bias.shape[0] !== 1 && p.m > 1) {
    const fullBias = temp(biasOfLength(backend, bias, p.m * p.n));
    return previous({ ...args, inputs: { ...args.inputs, bias: fullBias } }) as TensorInfo;
  }
  return previous(args) as TensorInfo;
}

/** Nutshell's BatchMatMul for 'wasm': every float32 product on XNNPACK (see the file's header). */
export function batchMatMulConfig(previous: KernelFunc | undefined): KernelConfig {
  return { kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc: routed(tf.BatchMatMul, previous) };
}

/**
 * Nutshell's _FusedMatMul for 'wasm': every float32 product on XNNPACK, weights cached in another shape copied, and
 * a bias expanded to the length tfjs reads.
 */
export function fusedMatMulConfig(previous: KernelFunc | undefined): KernelConfig {
  return { kernelName: tf._FusedMatMul, backendName: 'wasm', kernelFunc: routed(tf._FusedMatMul, previous) };
}
