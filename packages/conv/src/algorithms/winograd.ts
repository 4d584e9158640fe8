import { tf, type Tensor } from '@nutshell/tensor';
import { UnsupportedAlgorithmError } from '../errors.js';
import type { ConvGeometry } from '../geometry.js';
import { padInput, perGroup } from './reshaping.js';

// Winograd F(2×2, 3×3) (Lavin & Gray 2016): a 2×2 output tile from a 4×4 input tile d and a 3×3 filter g is
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A,
// 16 multiplications instead of 36. With channels, the ⊙ becomes 16 independent matrix products over channels.
const BT = [
  [1, 0, -1, 0],
  [0, 1, 1, 0],
  [0, -1, 1, 0],
  [0, 1, 0, -1],
];
const G3 = [
  [1, 0, 0],
  [0.5, 0.5, 0.5],
  [0.5, -0.5, 0.5],
  [0, 0, 1],
];
const AT = [
  [1, 1, 1, 0],
  [0, 1, -1, -1],
];

/** kron(M, M): the matrix that applies M on both sides of a tile flattened row-major (M X Mᵀ). */
function kron(m: number[][]): number[][] {
  const r = m.length;
  const c = m[0].length;
  const out: number[][] = [];
  for (let i = 0; i < r; i++)
    for (let j = 0; j < r; j++) {
      const row: number[] = [];
      for (let k = 0; k < c; k++) for (let l = 0; l < c; l++) row.push(m[i][k] * m[j][l]);
      out.push(row);
    }
  return out;
}
const BT_KRON = kron(BT); // 16 × 16
const G_KRON = kron(G3); // 16 × 9
const AT_KRON = kron(AT); // 4 × 16

/** Throws unless Winograd F(2×2, 3×3) applies: a 3×3 kernel, stride 1, dilation 1. */
export function checkWinograd(g: ConvGeometry, xShape: readonly number[], wShape: readonly number[]): void {
  const ok = g.kernelHeight === 3 && g.kernelWidth === 3 && g.strides.every((s) => s === 1) && g.dilations.every((d) => d === 1);
  if (!ok) {
    throw new UnsupportedAlgorithmError(
      'winograd',
      xShape,
      wShape,
      `a 3×3 kernel with stride 1 and dilation 1 (F(2×2, 3×3)); got kernel ${g.kernelHeight}×${g.kernelWidth}, ` +
        `strides [${g.strides.join(', ')}], dilations [${g.dilations.join(', ')}]`,
    );
  }
}

function winogradGroup(x: Tensor, w: Tensor, g: ConvGeometry): Tensor {
  const n = g.batch;
  const c = g.inChannels;
  const o = g.outChannels;
  const oh = g.outHeight;
  const ow = g.outWidth;
  const th = Math.ceil(oh / 2);
  const tw = Math.ceil(ow / 2);
  // Pad to (2·th + 2) × (2·tw + 2) so every 4×4 tile (stride 2) is inside; the extra outputs are cut off below.
  const [, hp, wp] = x.shape as number[];
  const xp = tf.pad(x, [
    [0, 0],
    [0, 2 * th + 2 - hp],
    [0, 2 * tw + 2 - wp],
    [0, 0],
  ]);
  // Input transform V = Bᵀ d B of every 4×4 tile d (tiles overlap, stride 2): a fixed linear map of each tile, so
  // one depthwise convolution with 16 fixed 4×4 kernels at stride 2 computes it for all tiles and channels at
  // once, instead of 16 slices of a 6-D view (slow on wasm, whose Slice kernel has no fast path above rank 4).
  const transform = new Float32Array(16 * 16 * c);
  for (let u = 0; u < 4; u++)
    for (let v = 0; v < 4; v++)
      for (let ch = 0; ch < c; ch++) for (let xi = 0; xi < 16; xi++) transform[((u * 4 + v) * c + ch) * 16 + xi] = BT_KRON[xi][u * 4 + v];
  const tiles = tf.depthwiseConv2d(xp as tf.Tensor4D, tf.tensor4d(transform, [4, 4, c, 16]), 2, 'valid'); // [n, th, tw, c·16]
  const m = n * th * tw;
  const V = tf.transpose(tf.reshape(tiles, [m, c, 16]), [2, 0, 1]); // [16, m, c]
  // U = kron(G, G) · w, computed as (wᵀ · kron(G, G)ᵀ)ᵀ so that the kernel is matMul's first operand:
  // tfjs-backend-wasm caches packed second operands by data id and returns wrong values when the same data comes
  // back in another shape (as it does when im2col used this kernel as a [9·c, o] matrix).
  const U = tf.reshape(tf.transpose(tf.matMul(tf.reshape(w, [9, c * o]), tf.tensor2d(G_KRON), true, true)), [16, c, o]);
  const M = tf.matMul(V, U); // [16, m, o]
  const Y = tf.matMul(tf.tensor2d(AT_KRON), tf.reshape(M, [16, m * o])); // [4, m·o]: rows (i, j) of the 2×2 tile
  const y = tf.transpose(tf.reshape(Y, [2, 2, n, th, tw, o]), [2, 3, 0, 4, 1, 5]);
  return tf.slice(tf.reshape(y, [n, 2 * th, 2 * tw, o]), [0, 0, 0, 0], [n, oh, ow, o]);
}

/**
 * Winograd minimal filtering F(2×2, 3×3) for 3×3 kernels at stride 1: input tiles and the kernel are
 * transformed once, multiplied channel-wise in the transform domain (16 matrix products), and transformed back,
 * using 2.25× fewer multiplications than direct convolution.
 */
export function winogradConv2d(x: Tensor, w: Tensor, g: ConvGeometry): Tensor {
  return perGroup(padInput(x, g), w, g, winogradGroup);
}
