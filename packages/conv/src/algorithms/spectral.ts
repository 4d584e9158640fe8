// Two-dimensional real Fourier transforms of a batch of P × Q images, in two implementations with one layout:
// the spectrum of image b is stored as `re[b, k]`, `im[b, k]` with k = (column frequency 0..Q/2) · P + row
// frequency, i.e. only the non-redundant half of a real signal's spectrum.
import { hasKernels, tf, type Tensor } from '@nutshell/tensor';

/** A 2-D real Fourier transform of fixed size. */
export interface Spectral2D {
  /** `'backend'` (the backend's FFT kernels) or `'dft'` (dense transform matrices, matmuls). */
  readonly kind: 'backend' | 'dft';
  /** Transform size (rows, columns). */
  readonly rows: number;
  readonly cols: number;
  /** Number of stored frequencies per image: (cols/2 + 1) · rows. */
  readonly frequencies: number;
  /** `[B, rows, cols]` real → spectrum `{re, im}` each `[B, frequencies]`. */
  forward(x: Tensor): { re: Tensor; im: Tensor };
  /** Spectrum `[B, frequencies]` → `[B, rows, cols]` real. The spectrum must be that of a real image. */
  inverse(re: Tensor, im: Tensor): Tensor;
}

/** True when the current backend registers the kernels tf.spectral needs (cpu, webgl, webgpu; not wasm). */
export function backendHasFft(): boolean {
  return hasKernels(['FFT', 'IFFT', 'Complex', 'Real', 'Imag']);
}

export function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/** The backend's FFT: rfft along columns, then a complex FFT along rows. Power-of-two sizes run radix-2. */
function backendSpectral(rows: number, cols: number): Spectral2D {
  const half = cols / 2 + 1;
  return {
    kind: 'backend',
    rows,
    cols,
    frequencies: half * rows,
    forward(x) {
      const b = x.shape[0];
      const c1 = tf.spectral.rfft(x); // [B, rows, half]
      const re1 = tf.transpose(tf.real(c1), [0, 2, 1]);
      const im1 = tf.transpose(tf.imag(c1), [0, 2, 1]);
      const c2 = tf.spectral.fft(tf.complex(re1, im1)); // [B, half, rows]
      return { re: tf.reshape(tf.real(c2), [b, half * rows]), im: tf.reshape(tf.imag(c2), [b, half * rows]) };
    },
    inverse(re, im) {
      const b = re.shape[0];
      const c2 = tf.spectral.ifft(tf.complex(tf.reshape(re, [b, half, rows]), tf.reshape(im, [b, half, rows])));
      const c1 = tf.complex(tf.transpose(tf.real(c2), [0, 2, 1]), tf.transpose(tf.imag(c2), [0, 2, 1]));
      return tf.spectral.irfft(c1); // [B, rows, cols]
    },
  };
}

/** Dense DFT matrices: the transform as four real matmuls per axis; any size, any backend with matmul. */
function dftSpectral(rows: number, cols: number): Spectral2D {
  const half = Math.floor(cols / 2) + 1;
  const cq = new Float32Array(cols * half);
  const sq = new Float32Array(cols * half);
  const icq = new Float32Array(half * cols);
  const isq = new Float32Array(half * cols);
  for (let q = 0; q < cols; q++)
    for (let k = 0; k < half; k++) {
      const angle = (2 * Math.PI * ((q * k) % cols)) / cols;
      cq[q * half + k] = Math.cos(angle);
      sq[q * half + k] = Math.sin(angle);
      // Inverse from the half spectrum: bins other than 0 and cols/2 stand for themselves and their mirror.
      const weight = k === 0 || 2 * k === cols ? 1 : 2;
      icq[k * cols + q] = (weight * Math.cos(angle)) / cols;
      isq[k * cols + q] = (weight * Math.sin(angle)) / cols;
    }
  const cp = new Float32Array(rows * rows);
  const sp = new Float32Array(rows * rows);
  for (let p = 0; p < rows; p++)
    for (let k = 0; k < rows; k++) {
      const angle = (2 * Math.PI * ((p * k) % rows)) / rows;
      cp[p * rows + k] = Math.cos(angle);
      sp[p * rows + k] = Math.sin(angle);
    }
  const mat = (v: Float32Array, r: number, c: number) => tf.tensor2d(v, [r, c]);
  return {
    kind: 'dft',
    rows,
    cols,
    frequencies: half * rows,
    forward(x) {
      const b = x.shape[0];
      const x2 = tf.reshape(x, [b * rows, cols]);
      // e^{-iθ} = cos θ − i sin θ
      const ar = tf.reshape(tf.matMul(x2, mat(cq, cols, half)), [b, rows, half]);
      const ai = tf.neg(tf.reshape(tf.matMul(x2, mat(sq, cols, half)), [b, rows, half]));
      const art = tf.reshape(tf.transpose(ar, [0, 2, 1]), [b * half, rows]);
      const ait = tf.reshape(tf.transpose(ai, [0, 2, 1]), [b * half, rows]);
      const C = mat(cp, rows, rows);
      const S = mat(sp, rows, rows);
      const re = tf.add(tf.matMul(art, C), tf.matMul(ait, S));
      const im = tf.sub(tf.matMul(ait, C), tf.matMul(art, S));
      return { re: tf.reshape(re, [b, half * rows]), im: tf.reshape(im, [b, half * rows]) };
    },
    inverse(re, im) {
      const b = re.shape[0];
      const r2 = tf.reshape(re, [b * half, rows]);
      const i2 = tf.reshape(im, [b * half, rows]);
      const C = mat(cp, rows, rows);
      const S = mat(sp, rows, rows);
      // Inverse along rows: e^{+iθ}/rows.
      const br = tf.div(tf.sub(tf.matMul(r2, C), tf.matMul(i2, S)), rows);
      const bi = tf.div(tf.add(tf.matMul(r2, S), tf.matMul(i2, C)), rows);
      const brt = tf.reshape(tf.transpose(tf.reshape(br, [b, half, rows]), [0, 2, 1]), [b * rows, half]);
      const bit = tf.reshape(tf.transpose(tf.reshape(bi, [b, half, rows]), [0, 2, 1]), [b * rows, half]);
      const x = tf.sub(tf.matMul(brt, mat(icq, half, cols)), tf.matMul(bit, mat(isq, half, cols)));
      return tf.reshape(x, [b, rows, cols]);
    },
  };
}

/**
 * How `fft` convolution computes its Fourier transforms:
 * - `'backend'`: the backend's FFT kernels (`tf.spectral.rfft`/`fft`/`ifft`/`irfft`), sizes rounded up to powers
 *   of two;
 * - `'dft'`: dense DFT matrices, so each transform is a pair of matrix products per axis (exact sizes; any
 *   backend that has matmul);
 * - `'auto'` (default): the backend's FFT on tensorflow (libtensorflow's real FFT), DFT matrices everywhere else.
 *   wasm registers no FFT kernel; tfjs-cpu's runs row by row through its generic tensor machinery, about 30×
 *   slower than the DFT matrices at image sizes up to 128 (measured, see the README); tfjs's webgl and webgpu
 *   FFTs are naive DFTs too (one output per thread, a sum over every input) whose twiddles come from WGSL/GLSL
 *   `cos`/`sin` of unreduced arguments, off by up to 3e-4 on SwiftShader, while the DFT matrices are made in
 *   float64 on the host and run as matmuls.
 * @public
 */
export type FourierTransform = 'auto' | 'backend' | 'dft';

/** Backends whose FFT kernels are a real, accurate FFT. */
const NATIVE_FFT_BACKENDS = ['tensorflow'];

/** A transform at least `minRows × minCols` large (larger is harmless: the signals are zero-padded). */
export function spectral2d(minRows: number, minCols: number, transform: FourierTransform = 'auto'): Spectral2D {
  const useBackend =
    transform === 'backend' || (transform === 'auto' && NATIVE_FFT_BACKENDS.includes(tf.getBackend()) && backendHasFft());
  return useBackend
    ? backendSpectral(nextPowerOfTwo(minRows), nextPowerOfTwo(minCols))
    : dftSpectral(minRows, minCols);
}
