import type { Tensor } from '@nutshell/tensor';
import type { ConcreteConvAlgorithm, ConvGeometry } from '../geometry.js';
import { directConv2d } from './direct.js';
import { fftConv2d } from './fftConv2d.js';
import type { FourierTransform } from './spectral.js';
import { im2colConv2d } from './im2col.js';
import { checkWinograd, winogradConv2d } from './winograd.js';

/** Whether an algorithm can compute this problem (only Winograd has restrictions). */
export function applicable(algorithm: ConcreteConvAlgorithm, g: ConvGeometry): boolean {
  if (algorithm !== 'winograd') return true;
  return g.kernelHeight === 3 && g.kernelWidth === 3 && g.strides.every((s) => s === 1) && g.dilations.every((d) => d === 1);
}

/** Computes a checked convolution problem with one algorithm (inside the caller's tidy). */
export function runAlgorithm(
  algorithm: ConcreteConvAlgorithm,
  x: Tensor,
  w: Tensor,
  g: ConvGeometry,
  fftTransform: FourierTransform = 'auto',
): Tensor {
  switch (algorithm) {
    case 'direct':
      return directConv2d(x, w, g);
    case 'im2col':
      return im2colConv2d(x, w, g);
    case 'fft':
      return fftConv2d(x, w, g, fftTransform);
    case 'winograd':
      checkWinograd(g, x.shape, w.shape);
      return winogradConv2d(x, w, g);
  }
}
