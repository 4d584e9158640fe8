import { ShapeError, assertDtype, tf, type Tensor } from '@nutshell/tensor';
import { runAlgorithm } from './algorithms/run.js';
import { chooseAlgorithm } from './autotune.js';
import { ConvArgumentError } from './errors.js';
import { CONV_ALGORITHMS, conv2dGeometry, type Conv2DOptions, type ConcreteConvAlgorithm } from './geometry.js';

function resolveAlgorithm(op: string, algorithm: unknown): ConcreteConvAlgorithm | 'auto' {
  const a = algorithm ?? 'direct';
  if (a === 'auto' || CONV_ALGORITHMS.includes(a as ConcreteConvAlgorithm)) return a as ConcreteConvAlgorithm | 'auto';
  throw new ConvArgumentError(op, 'algorithm', `one of ${[...CONV_ALGORITHMS, 'auto'].map((s) => `'${s}'`).join(', ')}`, a);
}

/** conv2d under another op's name (for error messages). */
export function conv2dAs(op: string, x: Tensor, w: Tensor, opts: Conv2DOptions): Tensor {
  const g = conv2dGeometry(op, x.shape, w.shape, opts);
  assertDtype(x, 'float32', op);
  assertDtype(w, 'float32', op);
  const requested = resolveAlgorithm(op, opts.algorithm);
  const algorithm = requested === 'auto' ? chooseAlgorithm(g).algorithm : requested;
  const transform = opts.fftTransform ?? 'auto';
  if (!['auto', 'backend', 'dft'].includes(transform)) throw new ConvArgumentError(op, 'fftTransform', "'auto', 'backend' or 'dft'", transform);
  return tf.tidy(() => runAlgorithm(algorithm, x, w, g, transform));
}

/**
 * Two-dimensional convolution as deep learning means it: a cross-correlation (the kernel is not flipped; see
 * `convolve2d` for the flipped, mathematical convolution) of an NHWC input `[batch, height, width, channels]`
 * with a kernel `[kernelHeight, kernelWidth, channels / groups, filters]`, giving
 * `[batch, outHeight, outWidth, filters]`:
 *
 *   y[n, i, j, o] = Σ over a, b, c of x[n, i·sh + a·dh − top, j·sw + b·dw − left, c] · w[a, b, c, o]
 *
 * (c running over the input channels of o's group). Every `algorithm` computes the same numbers and is
 * differentiable; `'auto'` measures them once per shape and backend (see `tuneConv2d`, `autotuneDecisions`).
 *
 * Throws `ShapeError` for ranks, channel counts that do not match, or a kernel larger than the padded input;
 * `ConvArgumentError` for strides, dilations or groups out of range; `UnsupportedAlgorithmError` for Winograd
 * on anything but a 3×3 kernel at stride 1. The caller owns the result.
 *
 * @example
 * ```ts
 * const y = conv2d(x, w, { strides: 2, padding: 'same', algorithm: 'auto' });
 * ```
 * @public
 */
export function conv2d(x: Tensor, w: Tensor, options: Conv2DOptions = {}): Tensor {
  return conv2dAs('conv2d', x, w, options);
}

/**
 * Options of `conv1d`: the 1-D counterparts of `Conv2DOptions`.
 * @public
 */
export interface Conv1DOptions {
  /** Default 1. */
  readonly stride?: number;
  /** `'valid'` (default), `'same'` or explicit `[before, after]`. */
  readonly padding?: 'valid' | 'same' | readonly [number, number];
  /** Default 1. */
  readonly dilation?: number;
  /** Default 1. */
  readonly groups?: number;
  /** Any `ConvAlgorithm` except `'winograd'` (which needs 3×3 kernels). Default `'direct'`. */
  readonly algorithm?: Conv2DOptions['algorithm'];
  /** How `'fft'` computes its transforms. Default `'auto'`. */
  readonly fftTransform?: Conv2DOptions['fftTransform'];
}

/**
 * One-dimensional convolution (cross-correlation) of `[batch, length, channels]` with a kernel
 * `[kernelSize, channels / groups, filters]`, giving `[batch, outLength, filters]`. Computed as a 2-D
 * convolution of height 1, so every algorithm and the same errors apply.
 * @public
 */
export function conv1d(x: Tensor, w: Tensor, options: Conv1DOptions = {}): Tensor {
  if (x.rank !== 3) throw new ShapeError('conv1d', 'rank 3 [batch, length, channels]', x.shape, 'input');
  if (w.rank !== 3) throw new ShapeError('conv1d', 'rank 3 [kernelSize, channels / groups, filters]', w.shape, 'kernel');
  for (const [name, v] of [
    ['stride', options.stride],
    ['dilation', options.dilation],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new ConvArgumentError('conv1d', name, 'a positive integer', v);
  }
  const p = options.padding ?? 'valid';
  let padding: Conv2DOptions['padding'];
  if (p === 'valid' || p === 'same') padding = p === 'same' ? [[0, 0], [0, 0]] : 'valid';
  else if (Array.isArray(p) && p.length === 2) padding = [[0, 0], [p[0], p[1]]];
  else throw new ConvArgumentError('conv1d', 'padding', "'valid', 'same' or [before, after]", p);
  if (p === 'same') {
    // 'same' along the length only (2-D 'same' would also pad the height-1 axis for kernels of height 1: no-op,
    // but the rule is computed here so that it is TensorFlow's along the length).
    const k = ((w.shape as number[])[0] - 1) * (options.dilation ?? 1) + 1;
    const s = options.stride ?? 1;
    const len = (x.shape as number[])[1];
    const total = Math.max((Math.ceil(len / s) - 1) * s + k - len, 0);
    padding = [[0, 0], [Math.floor(total / 2), total - Math.floor(total / 2)]];
  }
  const xs = x.shape as number[];
  const ws = w.shape as number[];
  const groups = options.groups ?? 1;
  if (Number.isInteger(groups) && groups >= 1 && xs[2] % groups === 0 && ws[1] * groups !== xs[2]) {
    throw new ShapeError(
      'conv1d',
      `[${ws[0]}, ${xs[2] / groups}, ${ws[2]}]`,
      ws,
      `kernel for an input with ${xs[2]} channels in ${groups} group(s); input shape [${xs.join(', ')}]`,
    );
  }
  const k = (ws[0] - 1) * (options.dilation ?? 1) + 1;
  const padded = xs[1] + (Array.isArray(padding) ? padding[1][0] + padding[1][1] : 0);
  if (k > padded) {
    throw new ShapeError(
      'conv1d',
      `an input at least ${k} long after padding`,
      xs,
      `kernel [${ws.join(', ')}] with dilation ${options.dilation ?? 1} spans ${k}, longer than the padded input ${padded}`,
    );
  }
  const y = tf.tidy(() =>
    conv2dAs('conv1d', tf.expandDims(x, 1), tf.expandDims(w, 0), {
      strides: [1, options.stride ?? 1],
      dilations: [1, options.dilation ?? 1],
      padding,
      groups: options.groups,
      algorithm: options.algorithm,
      fftTransform: options.fftTransform,
    }),
  );
  const out = tf.squeeze(y, [1]);
  y.dispose();
  return out;
}
