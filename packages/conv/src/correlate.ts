import { ShapeError, tf, type Tensor } from '@nutshell/tensor';
import { conv2dAs } from './conv2d.js';
import type { Conv2DOptions } from './geometry.js';

/** A small 2-D kernel as rows of numbers (what the classic kernels return), or a tensor. @public */
export type Kernel2D = readonly (readonly number[])[];

/**
 * Options of `correlate2d` and `convolve2d`.
 * @public
 */
export type FilterOptions = Pick<Conv2DOptions, 'strides' | 'padding' | 'dilations' | 'algorithm'>;

function kernelTensor(op: string, kernel: Kernel2D | Tensor): Tensor {
  if (kernel instanceof tf.Tensor) return kernel;
  const rows = kernel.length;
  const cols = rows ? kernel[0].length : 0;
  if (!rows || !cols || kernel.some((r) => r.length !== cols)) {
    throw new ShapeError(op, 'a rectangular 2-D kernel', [rows, cols], 'rows of equal length');
  }
  return tf.tensor2d(kernel.map((r) => [...r]));
}

function filter(op: string, image: Tensor, kernel: Kernel2D | Tensor, flip: boolean, options: FilterOptions): Tensor {
  if (image.rank < 2 || image.rank > 4) {
    throw new ShapeError(op, 'rank 2 [h, w], 3 [h, w, channels] or 4 [batch, h, w, channels]', image.shape, 'image');
  }
  return tf.tidy(() => {
    let k = kernelTensor(op, kernel);
    if (k.rank !== 2 && k.rank !== 4) throw new ShapeError(op, 'rank 2 [kh, kw] or rank 4 [kh, kw, in, out]', k.shape, 'kernel');
    if (flip) k = tf.reverse(k, [0, 1]);
    const x4 = image.rank === 2 ? tf.reshape(image, [1, ...image.shape, 1]) : image.rank === 3 ? tf.expandDims(image, 0) : image;
    const channels = (x4.shape as number[])[3];
    const ks = k.shape as number[];
    let y: Tensor;
    if (k.rank === 2) {
      // One 2-D kernel applied to every channel on its own: a depthwise convolution.
      const w = tf.tile(tf.reshape(k, [ks[0], ks[1], 1, 1]), [1, 1, 1, channels]);
      y = conv2dAs(op, x4, w, { ...options, groups: channels });
    } else {
      y = conv2dAs(op, x4, k, options);
    }
    if (image.rank === 2) return tf.reshape(y, (y.shape as number[]).slice(1, 3));
    if (image.rank === 3) return tf.squeeze(y, [0]);
    return y;
  });
}

/**
 * Cross-correlation: slide the kernel over the image and take the dot product at each position,
 * `y[i, j] = Σ_{a,b} x[i + a, j + b] · k[a, b]`, without flipping the kernel. This is what deep-learning
 * libraries call "convolution" (and what `conv2d` computes); since a learned kernel can absorb the flip, the
 * distinction only matters for hand-made kernels.
 *
 * `image` is `[h, w]`, `[h, w, channels]` or `[batch, h, w, channels]`; a 2-D `kernel` (rows of numbers or a
 * tensor) is applied to each channel separately, a 4-D `[kh, kw, in, out]` one mixes channels like `conv2d`.
 * The result has the image's rank. Default padding `'valid'`.
 * @public
 */
export function correlate2d(image: Tensor, kernel: Kernel2D | Tensor, options: FilterOptions = {}): Tensor {
  return filter('correlate2d', image, kernel, false, options);
}

/**
 * Convolution in the mathematical sense: the kernel is flipped (rotated 180°) before it slides,
 * `y[i, j] = Σ_{a,b} x[i − a, j − b] · k[a, b]`, which makes it commutative and associative, and is what the
 * convolution theorem (F(x ∗ k) = F(x) · F(k)) is about. Equal to `correlate2d` with the flipped kernel;
 * identical to it for symmetric kernels (Gaussian, box, Laplacian), opposite in sign for antisymmetric ones
 * (Sobel). Same arguments as `correlate2d`.
 * @public
 */
export function convolve2d(image: Tensor, kernel: Kernel2D | Tensor, options: FilterOptions = {}): Tensor {
  return filter('convolve2d', image, kernel, true, options);
}
