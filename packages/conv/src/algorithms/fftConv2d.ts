import { tf, type Tensor } from '@nutshell/tensor';
import type { ConvGeometry } from '../geometry.js';
import { dilateKernel, padInput, perGroup, subsample } from './reshaping.js';
import { spectral2d, type FourierTransform, type Spectral2D } from './spectral.js';

interface Spectrum {
  re: Tensor;
  im: Tensor;
}

/** `[A, B, h, w]` real → spectrum `[F, A, B]` (frequency first, so products over channels are batched matmuls). */
function toSpectrum(t: Tensor, s: Spectral2D): Spectrum {
  const [a, b, h, w] = t.shape;
  const padded = tf.pad(t, [
    [0, 0],
    [0, 0],
    [0, s.rows - h],
    [0, s.cols - w],
  ]);
  const { re, im } = s.forward(tf.reshape(padded, [a * b, s.rows, s.cols]));
  const f = s.frequencies;
  return {
    re: tf.transpose(tf.reshape(re, [a, b, f]), [2, 0, 1]),
    im: tf.transpose(tf.reshape(im, [a, b, f]), [2, 0, 1]),
  };
}

/** Spectrum `[F, A, B]` → `[A, B, h, w]` real (the top-left h × w of the inverse transform). */
function fromSpectrum(z: Spectrum, s: Spectral2D, h: number, w: number): Tensor {
  const [f, a, b] = z.re.shape;
  const re = tf.reshape(tf.transpose(z.re, [1, 2, 0]), [a * b, f]);
  const im = tf.reshape(tf.transpose(z.im, [1, 2, 0]), [a * b, f]);
  const x = tf.reshape(s.inverse(re, im), [a, b, s.rows, s.cols]);
  return tf.slice(x, [0, 0, 0, 0], [a, b, h, w]);
}

/** Per-frequency complex matrix product P · Q, with either factor optionally conjugated or transposed. */
function complexMatMul(p: Spectrum, q: Spectrum, o: { conjP?: boolean; conjQ?: boolean; transP?: boolean; transQ?: boolean }): Spectrum {
  const mm = (a: Tensor, b: Tensor) => tf.matMul(a, b, o.transP ?? false, o.transQ ?? false);
  const sp = o.conjP ? -1 : 1;
  const sq = o.conjQ ? -1 : 1;
  // (pr + i·sp·pi)(qr + i·sq·qi) = pr·qr − sp·sq·pi·qi + i(sq·pr·qi + sp·pi·qr)
  const rr = mm(p.re, q.re);
  const ii = mm(p.im, q.im);
  const ri = mm(p.re, q.im);
  const ir = mm(p.im, q.re);
  return {
    re: sp * sq > 0 ? tf.sub(rr, ii) : tf.add(rr, ii),
    im: tf.add(sq > 0 ? ri : tf.neg(ri), sp > 0 ? ir : tf.neg(ir)),
  };
}

/**
 * Stride-1 valid cross-correlation of `x` `[N, H, W, C]` with `w` `[kh, kw, C, O]` by the convolution theorem,
 * forward and backward:
 *   y = F⁻¹( Σ_c F(x_c) · conj(F(w_co)) ),   ∂x = F⁻¹( Σ_o F(∂y_o) · F(w_co) ),   ∂w = F⁻¹( Σ_n F(x_nc) · conj(F(∂y_no)) ).
 * A transform at least H × W large is enough: circular wrap-around never reaches the kept outputs.
 */
function spectralCorrelate(transform: FourierTransform): (x: Tensor, w: Tensor) => Tensor {
  return tf.customGrad((...args: unknown[]) => {
    const [x, w, save] = args as [Tensor, Tensor, (t: Tensor[]) => void];
    const [, h, wd] = x.shape;
    const [kh, kw] = w.shape;
    const oh = h - kh + 1;
    const ow = wd - kw + 1;
    const s = spectral2d(h, wd, transform);
    const X = toSpectrum(tf.transpose(x, [0, 3, 1, 2]), s); // [F, N, C]
    const W = toSpectrum(tf.transpose(w, [2, 3, 0, 1]), s); // [F, C, O]
    const Y = complexMatMul(X, W, { conjQ: true }); // [F, N, O]
    const y = tf.transpose(fromSpectrum(Y, s, oh, ow), [0, 2, 3, 1]);
    save([X.re, X.im, W.re, W.im]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xr, xi, wr, wi] = saved;
        const D = toSpectrum(tf.transpose(dy, [0, 3, 1, 2]), s); // [F, N, O]
        const dX = complexMatMul(D, { re: wr, im: wi }, { transQ: true }); // [F, N, C]
        const dW = complexMatMul({ re: xr, im: xi }, D, { transP: true, conjQ: true }); // [F, C, O]
        const dx = tf.transpose(fromSpectrum(dX, s, h, wd), [0, 2, 3, 1]);
        const dw = tf.transpose(fromSpectrum(dW, s, kh, kw), [2, 3, 0, 1]);
        return [dx, dw];
      },
    };
  }) as unknown as (x: Tensor, w: Tensor) => Tensor;
}

const correlators: Record<FourierTransform, (x: Tensor, w: Tensor) => Tensor> = {
  auto: spectralCorrelate('auto'),
  backend: spectralCorrelate('backend'),
  dft: spectralCorrelate('dft'),
};

/**
 * FFT convolution: pad, spread the kernel's taps for dilation, correlate at stride 1 through the frequency
 * domain, then keep every stride-th output. Cost is independent of the kernel size, so it wins for large kernels.
 */
export function fftConv2d(x: Tensor, w: Tensor, g: ConvGeometry, transform: FourierTransform = 'auto'): Tensor {
  const xp = padInput(x, g);
  const wd = dilateKernel(w, g.dilations);
  const y = perGroup(xp, wd, g, (xi, wi) => correlators[transform](xi, wi));
  return subsample(y, g);
}
