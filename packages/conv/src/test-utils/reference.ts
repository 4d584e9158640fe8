// Plain-loop float64 references for tests: convolution forward and its exact gradients, written from the
// definition, independent of tfjs.
import { Rng, tf, type Tensor } from '@nutshell/tensor';
import type { ConvGeometry } from '../geometry.js';

export function randomArray(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.nextFloat() * 2 - 1;
  return a;
}

export function toTensor(a: Float64Array, shape: number[]): Tensor {
  return tf.tensor(Float32Array.from(a), shape);
}

/** y, and (given upstream gradient r) dL/dx and dL/dw for L = Σ y·r. */
export function referenceConv2d(
  x: Float64Array,
  w: Float64Array,
  g: ConvGeometry,
  r?: Float64Array,
): { y: Float64Array; dx: Float64Array; dw: Float64Array } {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, kernelHeight: KH, kernelWidth: KW, outChannels: O, groups: G } = g;
  const OH = g.outHeight;
  const OW = g.outWidth;
  const cg = C / G;
  const og = O / G;
  const y = new Float64Array(N * OH * OW * O);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let o = 0; o < O; o++) {
          const grp = Math.floor(o / og);
          const yi = ((n * OH + i) * OW + j) * O + o;
          let s = 0;
          for (let a = 0; a < KH; a++)
            for (let b = 0; b < KW; b++) {
              const row = i * g.strides[0] + a * g.dilations[0] - g.pads[0][0];
              const col = j * g.strides[1] + b * g.dilations[1] - g.pads[1][0];
              if (row < 0 || row >= H || col < 0 || col >= W) continue;
              for (let c = 0; c < cg; c++) {
                const xi = ((n * H + row) * W + col) * C + grp * cg + c;
                const wi = ((a * KW + b) * cg + c) * O + o;
                s += x[xi] * w[wi];
                if (r) {
                  dx[xi] += r[yi] * w[wi];
                  dw[wi] += r[yi] * x[xi];
                }
              }
            }
          y[yi] = s;
        }
  return { y, dx, dw };
}

/** max |a − b| / max |b| (b the reference). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}
