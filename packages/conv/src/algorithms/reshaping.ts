// Differentiable building blocks shared by the algorithms. tfjs 4.22 has no gradient for stridedSlice and
// refuses dilation > 1 in its conv gradients, so strides and dilations are expressed with pad, reshape and
// slice, whose gradients every backend has.
import { tf, type Tensor } from '@nutshell/tensor';
import type { ConvGeometry } from '../geometry.js';

/** Zero-pads the spatial axes of an NHWC tensor by the geometry's pads (no-op when all are zero). */
export function padInput(x: Tensor, g: ConvGeometry): Tensor {
  const [[t, b], [l, r]] = g.pads;
  if (t === 0 && b === 0 && l === 0 && r === 0) return x;
  return tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]]);
}

/**
 * Every `step`-th entry along `axis`, starting at `start`, `count` of them. Equivalent to a strided slice, built
 * from slice, pad and reshape so that it has a gradient on every backend.
 */
export function takeEvery(x: Tensor, axis: number, start: number, count: number, step: number): Tensor {
  const size = x.shape[axis];
  if (step === 1) {
    const begin = x.shape.map((_, i) => (i === axis ? start : 0));
    const len = x.shape.map((d, i) => (i === axis ? count : d));
    return tf.slice(x, begin, len);
  }
  const want = count * step;
  const avail = Math.min(want, size - start);
  const begin = x.shape.map((_, i) => (i === axis ? start : 0));
  const len = x.shape.map((d, i) => (i === axis ? avail : d));
  let s = tf.slice(x, begin, len);
  if (avail < want) s = tf.pad(s, x.shape.map((_, i) => (i === axis ? [0, want - avail] : [0, 0])) as [number, number][]);
  const split = [...x.shape.slice(0, axis), count, step, ...x.shape.slice(axis + 1)];
  const r = tf.reshape(s, split);
  const first = tf.slice(
    r,
    split.map(() => 0),
    split.map((d, i) => (i === axis + 1 ? 1 : d)),
  );
  return tf.reshape(first, x.shape.map((d, i) => (i === axis ? count : d)));
}

/** Spreads a kernel's taps `d` apart along `axis` by inserting `d − 1` zeros between them. */
function dilateAxis(w: Tensor, axis: number, d: number): Tensor {
  if (d === 1) return w;
  const k = w.shape[axis];
  const expanded = tf.expandDims(w, axis + 1);
  const padded = tf.pad(expanded, expanded.shape.map((_, i) => (i === axis + 1 ? [0, d - 1] : [0, 0])) as [number, number][]);
  const merged = tf.reshape(padded, w.shape.map((s, i) => (i === axis ? k * d : s)));
  return tf.slice(
    merged,
    merged.shape.map(() => 0),
    merged.shape.map((s, i) => (i === axis ? (k - 1) * d + 1 : s)),
  );
}

/** A `[kh, kw, in, out]` kernel with its taps spread `dilations` apart (zeros between). */
export function dilateKernel(w: Tensor, dilations: readonly [number, number]): Tensor {
  return dilateAxis(dilateAxis(w, 0, dilations[0]), 1, dilations[1]);
}

/** Keeps every stride-th row and column of a stride-1 result, `outHeight × outWidth` of them. */
export function subsample(y: Tensor, g: ConvGeometry): Tensor {
  const rows = takeEvery(y, 1, 0, g.outHeight, g.strides[0]);
  return takeEvery(rows, 2, 0, g.outWidth, g.strides[1]);
}

/**
 * Runs a groups = 1 algorithm once per group on the matching slices of input channels and filters, and
 * concatenates the results on channels.
 */
export function perGroup(x: Tensor, w: Tensor, g: ConvGeometry, run: (x: Tensor, w: Tensor, g: ConvGeometry) => Tensor): Tensor {
  if (g.groups === 1) return run(x, w, g);
  const cin = g.inChannels / g.groups;
  const cout = g.outChannels / g.groups;
  const sub: ConvGeometry = { ...g, inChannels: cin, outChannels: cout, groups: 1 };
  const xs = tf.split(x, g.groups, 3);
  const ws = tf.split(w, g.groups, 3);
  return tf.concat(
    xs.map((xi, i) => run(xi, ws[i], sub)),
    3,
  );
}
