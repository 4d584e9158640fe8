import { ShapeError } from '@nutshell/tensor';
import { ConvArgumentError } from './errors.js';
import type { FourierTransform } from './algorithms/spectral.js';

/**
 * How the input is padded before the kernel slides over it:
 * - `'valid'`: no padding; the output shrinks by (kernel − 1).
 * - `'same'`: zeros around the input so that, at stride 1, the output has the input's size (TensorFlow's rule:
 *   the odd extra row or column goes at the bottom or right).
 * - explicit `[[top, bottom], [left, right]]` rows and columns of zeros (for 1-D ops: `[before, after]`).
 * @public
 */
export type Padding = 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]];

/**
 * Which way to compute a 2-D convolution. All give the same numbers (within float32 rounding) and all are
 * differentiable on every backend:
 * - `'direct'`: the backend's own convolution kernel;
 * - `'im2col'`: unfold the input's patches into a matrix and multiply by the kernel matrix;
 * - `'fft'`: the convolution theorem: multiply Fourier transforms, transform back;
 * - `'winograd'`: Winograd's minimal filtering F(2×2, 3×3), for 3×3 kernels at stride 1 and dilation 1;
 * - `'auto'`: measure the candidates for this shape on this backend once, then use the fastest.
 * @public
 */
export type ConvAlgorithm = 'direct' | 'im2col' | 'fft' | 'winograd' | 'auto';

/** The algorithms that compute (everything except `'auto'`). @public */
export type ConcreteConvAlgorithm = Exclude<ConvAlgorithm, 'auto'>;

/** Every concrete algorithm, in the order `'auto'` tries them. @public */
export const CONV_ALGORITHMS: readonly ConcreteConvAlgorithm[] = ['direct', 'im2col', 'fft', 'winograd'];

/**
 * Options of `conv2d` (and, with 1-D values, `conv1d`).
 * @public
 */
export interface Conv2DOptions {
  /** Step between windows, one number for both axes or `[rows, columns]`. Default 1. */
  readonly strides?: number | readonly [number, number];
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Spacing between kernel taps (atrous convolution). Default 1. */
  readonly dilations?: number | readonly [number, number];
  /**
   * Split the input channels and the filters into this many groups that are convolved separately. The kernel
   * then has shape `[kh, kw, inChannels / groups, outChannels]`. `groups = inChannels` is a depthwise
   * convolution. Default 1.
   */
  readonly groups?: number;
  /** Default `'direct'`. */
  readonly algorithm?: ConvAlgorithm;
  /** How the `'fft'` algorithm computes its transforms. Default `'auto'`. */
  readonly fftTransform?: FourierTransform;
}

/**
 * Everything about one convolution problem, checked: sizes, strides, explicit pads, output size.
 * @public
 */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly outChannels: number;
  readonly groups: number;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  /** `[[top, bottom], [left, right]]`. */
  readonly pads: readonly [readonly [number, number], readonly [number, number]];
  /** Kernel extent once dilated: `(k − 1)·d + 1`. */
  readonly effectiveKernelHeight: number;
  readonly effectiveKernelWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

function pair(op: string, name: string, v: number | readonly [number, number] | undefined, dflt: number): [number, number] {
  const p: [number, number] = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!(Array.isArray(v) ? v.length === 2 : true) || !p.every((x) => Number.isInteger(x) && x >= 1)) {
    throw new ConvArgumentError(op, name, 'a positive integer or a pair of positive integers', v);
  }
  return p;
}

/** TensorFlow's 'same' padding along one axis. */
export function samePads(size: number, effectiveKernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effectiveKernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Checks a 2-D convolution problem (NHWC input, `[kh, kw, inChannels / groups, outChannels]` kernel) and
 * works out its geometry. Throws `ShapeError` for shapes that do not fit and `ConvArgumentError` for strides,
 * dilations, groups or padding out of range.
 * @public
 */
export function conv2dGeometry(
  op: string,
  xShape: readonly number[],
  wShape: readonly number[],
  opts: Omit<Conv2DOptions, 'algorithm' | 'fftTransform'> = {},
): ConvGeometry {
  if (xShape.length !== 4) throw new ShapeError(op, 'rank 4 [batch, height, width, channels]', xShape, 'input');
  if (wShape.length !== 4) {
    throw new ShapeError(op, 'rank 4 [kernelHeight, kernelWidth, inChannels / groups, outChannels]', wShape, 'kernel');
  }
  const strides = pair(op, 'strides', opts.strides, 1);
  const dilations = pair(op, 'dilations', opts.dilations, 1);
  const groups = opts.groups ?? 1;
  const [batch, inHeight, inWidth, inChannels] = xShape;
  const [kernelHeight, kernelWidth, kernelIn, outChannels] = wShape;
  if (!Number.isInteger(groups) || groups < 1) throw new ConvArgumentError(op, 'groups', 'a positive integer', groups);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ConvArgumentError(
      op,
      'groups',
      `a divisor of both the input channels (${inChannels}) and the output channels (${outChannels})`,
      groups,
    );
  }
  if (kernelIn * groups !== inChannels) {
    throw new ShapeError(
      op,
      `[${kernelHeight}, ${kernelWidth}, ${inChannels / groups}, ${outChannels}]`,
      wShape,
      `kernel for an input with ${inChannels} channels in ${groups} group(s); input shape [${xShape.join(', ')}]`,
    );
  }
  if (wShape.some((d) => d < 1) || xShape.some((d) => d < 1)) {
    throw new ShapeError(op, 'no zero-sized dimension', wShape.some((d) => d < 1) ? wShape : xShape);
  }
  const effectiveKernelHeight = (kernelHeight - 1) * dilations[0] + 1;
  const effectiveKernelWidth = (kernelWidth - 1) * dilations[1] + 1;
  const padding = opts.padding ?? 'valid';
  let pads: [[number, number], [number, number]];
  if (padding === 'valid') pads = [[0, 0], [0, 0]];
  else if (padding === 'same') {
    pads = [samePads(inHeight, effectiveKernelHeight, strides[0]), samePads(inWidth, effectiveKernelWidth, strides[1])];
  } else if (
    Array.isArray(padding) &&
    padding.length === 2 &&
    padding.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))
  ) {
    pads = [[padding[0][0], padding[0][1]], [padding[1][0], padding[1][1]]];
  } else {
    throw new ConvArgumentError(op, 'padding', "'valid', 'same' or [[top, bottom], [left, right]] of integers >= 0", padding);
  }
  const paddedHeight = inHeight + pads[0][0] + pads[0][1];
  const paddedWidth = inWidth + pads[1][0] + pads[1][1];
  if (effectiveKernelHeight > paddedHeight || effectiveKernelWidth > paddedWidth) {
    throw new ShapeError(
      op,
      `an input at least ${effectiveKernelHeight}×${effectiveKernelWidth} after padding`,
      xShape,
      `kernel [${wShape.join(', ')}] with dilations [${dilations.join(', ')}] spans ` +
        `${effectiveKernelHeight}×${effectiveKernelWidth}, larger than the padded input ${paddedHeight}×${paddedWidth}`,
    );
  }
  return {
    batch,
    inHeight,
    inWidth,
    inChannels,
    kernelHeight,
    kernelWidth,
    outChannels,
    groups,
    strides,
    dilations,
    pads,
    effectiveKernelHeight,
    effectiveKernelWidth,
    outHeight: Math.floor((paddedHeight - effectiveKernelHeight) / strides[0]) + 1,
    outWidth: Math.floor((paddedWidth - effectiveKernelWidth) / strides[1]) + 1,
  };
}
