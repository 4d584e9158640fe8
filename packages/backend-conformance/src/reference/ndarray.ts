// A tiny float64 array library on the host: the independent reference the conformance suite checks
// backends against. Plain loops, written for clarity rather than speed; shapes stay small.

/** A float64 array with a shape (row-major). */
export interface Nd {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export function nd(shape: readonly number[], data?: ArrayLike<number>): Nd {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  if (data) {
    if (data.length !== size) throw new Error(`nd: ${data.length} values for shape [${shape.join(', ')}]`);
    out.set(data);
  }
  return { shape: [...shape], data: out };
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

function unravel(index: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = index % shape[i];
    index = Math.floor(index / shape[i]);
  }
  return idx;
}

export function map(x: Nd, f: (v: number) => number): Nd {
  const out = nd(x.shape);
  for (let i = 0; i < x.data.length; i++) out.data[i] = f(x.data[i]);
  return out;
}

/** Element-wise `f(a, b)` with numpy broadcasting. */
export function zip(a: Nd, b: Nd, f: (x: number, y: number) => number): Nd {
  const rank = Math.max(a.shape.length, b.shape.length);
  const pa = [...Array(rank - a.shape.length).fill(1), ...a.shape];
  const pb = [...Array(rank - b.shape.length).fill(1), ...b.shape];
  const shape = pa.map((d, i) => {
    if (d !== pb[i] && d !== 1 && pb[i] !== 1)
      throw new Error(`zip: cannot broadcast [${a.shape}] with [${b.shape}]`);
    return Math.max(d, pb[i]);
  });
  const out = nd(shape);
  const sa = strides(pa);
  const sb = strides(pb);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape);
    let ia = 0;
    let ib = 0;
    for (let k = 0; k < rank; k++) {
      if (pa[k] !== 1) ia += idx[k] * sa[k];
      if (pb[k] !== 1) ib += idx[k] * sb[k];
    }
    out.data[i] = f(a.data[ia], b.data[ib]);
  }
  return out;
}

export function reshape(x: Nd, shape: readonly number[]): Nd {
  return nd(shape, x.data);
}

export function transpose(x: Nd, perm: readonly number[]): Nd {
  const shape = perm.map((p) => x.shape[p]);
  const out = nd(shape);
  const sx = strides(x.shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape);
    let j = 0;
    for (let k = 0; k < perm.length; k++) j += idx[k] * sx[perm[k]];
    out.data[i] = x.data[j];
  }
  return out;
}

/** Reduces over `axes` with `f` starting from `init`; `finish` maps (accumulator, count) to the result. */
export function reduce(
  x: Nd,
  axes: readonly number[],
  init: number,
  f: (acc: number, v: number) => number,
  finish: (acc: number, count: number) => number = (a) => a,
  keepDims = false,
): Nd {
  const ax = axes.map((a) => (a < 0 ? a + x.shape.length : a));
  const keptShape = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const acc = new Float64Array(keptShape.reduce((a, b) => a * b, 1)).fill(init);
  const sk = strides(keptShape);
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape);
    let j = 0;
    for (let k = 0; k < idx.length; k++) if (!ax.includes(k)) j += idx[k] * sk[k];
    acc[j] = f(acc[j], x.data[i]);
  }
  const count = ax.reduce((n, a) => n * x.shape[a], 1);
  const out = nd(keepDims ? keptShape : x.shape.filter((_, i) => !ax.includes(i)), acc);
  for (let i = 0; i < out.data.length; i++) out.data[i] = finish(out.data[i], count);
  return out;
}

export const sum = (x: Nd, axes: readonly number[], keepDims = false) =>
  reduce(x, axes, 0, (a, v) => a + v, undefined, keepDims);
export const mean = (x: Nd, axes: readonly number[], keepDims = false) =>
  reduce(
    x,
    axes,
    0,
    (a, v) => a + v,
    (a, n) => a / n,
    keepDims,
  );
export const max = (x: Nd, axes: readonly number[], keepDims = false) =>
  reduce(x, axes, -Infinity, Math.max, undefined, keepDims);
export const min = (x: Nd, axes: readonly number[], keepDims = false) =>
  reduce(x, axes, Infinity, Math.min, undefined, keepDims);
export const prod = (x: Nd, axes: readonly number[], keepDims = false) =>
  reduce(x, axes, 1, (a, v) => a * v, undefined, keepDims);

export function matMul(a: Nd, b: Nd, transposeA = false, transposeB = false): Nd {
  const A = transposeA ? transpose(a, [1, 0]) : a;
  const B = transposeB ? transpose(b, [1, 0]) : b;
  const [m, k] = A.shape;
  const n = B.shape[1];
  const out = nd([m, n]);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += A.data[i * k + t] * B.data[t * n + j];
      out.data[i * n + j] = s;
    }
  }
  return out;
}

export function softmax(x: Nd): Nd {
  const m = max(x, [-1], true);
  const e = zip(x, m, (v, mv) => Math.exp(v - mv));
  return zip(e, sum(e, [-1], true), (v, s) => v / s);
}

export function logSoftmax(x: Nd): Nd {
  const m = max(x, [-1], true);
  const shifted = zip(x, m, (v, mv) => v - mv);
  const lse = map(sum(map(shifted, Math.exp), [-1], true), Math.log);
  return zip(shifted, lse, (v, l) => v - l);
}

export function concat(xs: readonly Nd[], axis: number): Nd {
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
  const out = nd(shape);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  let offset = 0;
  const rowOut = shape.slice(axis).reduce((a, b) => a * b, 1);
  for (const x of xs) {
    const row = x.shape.slice(axis).reduce((a, b) => a * b, 1);
    for (let o = 0; o < outer; o++)
      out.data.set(x.data.subarray(o * row, (o + 1) * row), o * rowOut + offset);
    offset += row;
  }
  return out;
}

export function slice(x: Nd, begin: readonly number[], size: readonly number[]): Nd {
  const out = nd(size);
  const sx = strides(x.shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, size);
    out.data[i] = x.data[idx.reduce((j, v, k) => j + (v + begin[k]) * sx[k], 0)];
  }
  return out;
}

/** Takes `size[k]` elements along each axis k from `begin[k]` in steps of `step[k]` (which may be negative). */
export function stridedSlice(
  x: Nd,
  begin: readonly number[],
  step: readonly number[],
  size: readonly number[],
): Nd {
  const out = nd(size);
  const sx = strides(x.shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, size);
    out.data[i] = x.data[idx.reduce((j, v, k) => j + (begin[k] + v * step[k]) * sx[k], 0)];
  }
  return out;
}

/** Reverses the order of the elements along each of `axes`. */
export function reverse(x: Nd, axes: readonly number[]): Nd {
  const out = nd(x.shape);
  const sx = strides(x.shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, x.shape);
    out.data[i] = x.data[idx.reduce((j, v, k) => j + (axes.includes(k) ? x.shape[k] - 1 - v : v) * sx[k], 0)];
  }
  return out;
}

export function pad(x: Nd, paddings: readonly (readonly [number, number])[], value = 0): Nd {
  const shape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = nd(shape);
  out.data.fill(value);
  const so = strides(shape);
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape);
    out.data[idx.reduce((j, v, k) => j + (v + paddings[k][0]) * so[k], 0)] = x.data[i];
  }
  return out;
}

export function gather(x: Nd, indices: readonly number[], axis: number): Nd {
  const shape = [...x.shape];
  shape[axis] = indices.length;
  const out = nd(shape);
  const sx = strides(x.shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape);
    idx[axis] = indices[idx[axis]];
    out.data[i] = x.data[idx.reduce((j, v, k) => j + v * sx[k], 0)];
  }
  return out;
}

export function tile(x: Nd, reps: readonly number[]): Nd {
  const shape = x.shape.map((d, i) => d * reps[i]);
  const out = nd(shape);
  const sx = strides(x.shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape);
    out.data[i] = x.data[idx.reduce((j, v, k) => j + (v % x.shape[k]) * sx[k], 0)];
  }
  return out;
}

/** 'valid', 'same' or explicit [before, after] padding along one spatial axis, as tfjs computes it. */
export type Padding = 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]];

function window1d(
  inSize: number,
  k: number,
  stride: number,
  dilation: number,
  padding: 'valid' | 'same' | readonly [number, number],
) {
  const eff = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.floor((inSize - eff) / stride) + 1, before: 0 };
  if (padding === 'same') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + eff - inSize, 0);
    return { out, before: Math.floor(total / 2) };
  }
  return { out: Math.floor((inSize + padding[0] + padding[1] - eff) / stride) + 1, before: padding[0] };
}

interface Window2d {
  readonly strides: readonly [number, number];
  readonly dilations?: readonly [number, number];
  readonly padding: Padding;
}

function windows(h: number, w: number, kh: number, kw: number, o: Window2d) {
  const [dh, dw] = o.dilations ?? [1, 1];
  const p = o.padding;
  const rows = window1d(h, kh, o.strides[0], dh, typeof p === 'string' ? p : p[0]);
  const cols = window1d(w, kw, o.strides[1], dw, typeof p === 'string' ? p : p[1]);
  return { rows, cols, dh, dw };
}

/** NHWC convolution (cross-correlation) with HWIO filter; depthwise with an HW·C·M filter. */
export function conv2d(x: Nd, f: Nd, o: Window2d, depthwise = false): Nd {
  const [B, H, W, C] = x.shape;
  const [KH, KW, , M] = f.shape;
  const CO = depthwise ? C * M : M;
  const { rows, cols, dh, dw } = windows(H, W, KH, KW, o);
  const out = nd([B, rows.out, cols.out, CO]);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < rows.out; i++)
      for (let j = 0; j < cols.out; j++)
        for (let co = 0; co < CO; co++) {
          let s = 0;
          for (let kh = 0; kh < KH; kh++) {
            const r = i * o.strides[0] - rows.before + kh * dh;
            if (r < 0 || r >= H) continue;
            for (let kw = 0; kw < KW; kw++) {
              const c = j * o.strides[1] - cols.before + kw * dw;
              if (c < 0 || c >= W) continue;
              const xBase = ((b * H + r) * W + c) * C;
              if (depthwise) {
                const ci = Math.floor(co / M);
                s += x.data[xBase + ci] * f.data[((kh * KW + kw) * C + ci) * M + (co % M)];
              } else {
                for (let ci = 0; ci < C; ci++)
                  s += x.data[xBase + ci] * f.data[((kh * KW + kw) * C + ci) * M + co];
              }
            }
          }
          out.data[((b * rows.out + i) * cols.out + j) * CO + co] = s;
        }
  return out;
}

/** NHWC max or average pooling; the average counts only positions inside the image, as tfjs does. */
export function pool(x: Nd, kind: 'max' | 'avg', size: readonly [number, number], o: Window2d): Nd {
  const [B, H, W, C] = x.shape;
  const { rows, cols } = windows(H, W, size[0], size[1], o);
  const out = nd([B, rows.out, cols.out, C]);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < rows.out; i++)
      for (let j = 0; j < cols.out; j++)
        for (let c = 0; c < C; c++) {
          let acc = kind === 'max' ? -Infinity : 0;
          let count = 0;
          for (let kh = 0; kh < size[0]; kh++) {
            const r = i * o.strides[0] - rows.before + kh;
            if (r < 0 || r >= H) continue;
            for (let kw = 0; kw < size[1]; kw++) {
              const cc = j * o.strides[1] - cols.before + kw;
              if (cc < 0 || cc >= W) continue;
              const v = x.data[((b * H + r) * W + cc) * C + c];
              acc = kind === 'max' ? Math.max(acc, v) : acc + v;
              count++;
            }
          }
          out.data[((b * rows.out + i) * cols.out + j) * C + c] = kind === 'max' ? acc : acc / count;
        }
  return out;
}

/** The transposed convolution tfjs calls conv2dTranspose: the input-gradient of conv2d. */
export function conv2dTranspose(dy: Nd, f: Nd, outShape: readonly number[], o: Window2d): Nd {
  const [B, H, W, CI] = outShape;
  const [KH, KW, , CO] = f.shape;
  const { rows, cols } = windows(H, W, KH, KW, o);
  const out = nd(outShape);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < rows.out; i++)
      for (let j = 0; j < cols.out; j++)
        for (let kh = 0; kh < KH; kh++) {
          const r = i * o.strides[0] - rows.before + kh;
          if (r < 0 || r >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const c = j * o.strides[1] - cols.before + kw;
            if (c < 0 || c >= W) continue;
            for (let ci = 0; ci < CI; ci++) {
              let s = 0;
              for (let co = 0; co < CO; co++)
                s +=
                  dy.data[((b * rows.out + i) * cols.out + j) * CO + co] *
                  f.data[((kh * KW + kw) * CI + ci) * CO + co];
              out.data[((b * H + r) * W + c) * CI + ci] += s;
            }
          }
        }
  return out;
}
