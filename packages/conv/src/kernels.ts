// Classic hand-made image kernels, as rows of numbers, oriented for `correlate2d` (x grows to the right,
// y grows downwards, so `sobelX` responds positively where the image gets brighter to the right).
import { NutshellError } from '@nutshell/tensor';
import type { Kernel2D } from './correlate.js';

/** Sobel horizontal derivative (responds to vertical edges): smoothing [1, 2, 1] × difference [−1, 0, 1]. @public */
export function sobelX(): Kernel2D {
  return [
    [-1, 0, 1],
    [-2, 0, 2],
    [-1, 0, 1],
  ];
}

/** Sobel vertical derivative (responds to horizontal edges). @public */
export function sobelY(): Kernel2D {
  return transpose(sobelX());
}

/** Prewitt horizontal derivative: box smoothing [1, 1, 1] × difference [−1, 0, 1]. @public */
export function prewittX(): Kernel2D {
  return [
    [-1, 0, 1],
    [-1, 0, 1],
    [-1, 0, 1],
  ];
}

/** Prewitt vertical derivative. @public */
export function prewittY(): Kernel2D {
  return transpose(prewittX());
}

/** Scharr horizontal derivative: like Sobel with weights [3, 10, 3], more rotation-invariant. @public */
export function scharrX(): Kernel2D {
  return [
    [-3, 0, 3],
    [-10, 0, 10],
    [-3, 0, 3],
  ];
}

/** Scharr vertical derivative. @public */
export function scharrY(): Kernel2D {
  return transpose(scharrX());
}

/**
 * Discrete Laplacian (sum of second derivatives): zero on flat and linearly varying regions, strong at edges
 * and points. 4-neighbour `[[0,1,0],[1,−4,1],[0,1,0]]` by default, or 8-neighbour.
 * @public
 */
export function laplacian(neighbours: 4 | 8 = 4): Kernel2D {
  if (neighbours === 8) {
    return [
      [1, 1, 1],
      [1, -8, 1],
      [1, 1, 1],
    ];
  }
  if (neighbours !== 4) throw new NutshellError(`laplacian: neighbours must be 4 or 8, got ${String(neighbours)}.`);
  return [
    [0, 1, 0],
    [1, -4, 1],
    [0, 1, 0],
  ];
}

/**
 * Gaussian blur: weights exp(−(x² + y²) / 2σ²) on a `size × size` grid centred on the middle, normalised to sum
 * to 1. `size` defaults to the odd number covering ±3σ.
 * @public
 */
export function gaussian(sigma: number, size?: number): Kernel2D {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new NutshellError(`gaussian: sigma must be a positive number, got ${sigma}.`);
  const n = size ?? 2 * Math.ceil(3 * sigma) + 1;
  if (!Number.isInteger(n) || n < 1) throw new NutshellError(`gaussian: size must be a positive integer, got ${size}.`);
  const c = (n - 1) / 2;
  const rows: number[][] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      const v = Math.exp(-((i - c) ** 2 + (j - c) ** 2) / (2 * sigma * sigma));
      row.push(v);
      total += v;
    }
    rows.push(row);
  }
  return rows.map((r) => r.map((v) => v / total));
}

/** Box blur: the mean of a `size × size` neighbourhood (every weight 1/size²). @public */
export function boxBlur(size = 3): Kernel2D {
  if (!Number.isInteger(size) || size < 1) throw new NutshellError(`boxBlur: size must be a positive integer, got ${size}.`);
  return Array.from({ length: size }, () => Array.from({ length: size }, () => 1 / (size * size)));
}

/** Sharpen: the image plus its negative Laplacian, `[[0,−1,0],[−1,5,−1],[0,−1,0]]` (weights sum to 1). @public */
export function sharpen(): Kernel2D {
  return [
    [0, -1, 0],
    [-1, 5, -1],
    [0, -1, 0],
  ];
}

/** Emboss: a diagonal derivative plus the image, so edges look raised and lit from the top left. @public */
export function emboss(): Kernel2D {
  return [
    [-2, -1, 0],
    [-1, 1, 1],
    [0, 1, 2],
  ];
}

function transpose(k: Kernel2D): Kernel2D {
  return k[0].map((_, j) => k.map((r) => r[j]));
}
