import { ShapeError, assertDtype, tf, type Tensor } from '@nutshell/tensor';
import { canFuseDirect, directConv2dFused, type FusedActivation } from './algorithms/direct.js';
import { runAlgorithm } from './algorithms/run.js';
import { chooseAlgorithm } from './autotune.js';
import { ConvArgumentError } from './errors.js';
import {
  CONV_ALGORITHMS,
  conv2dGeometry,
  type Conv2DOptions,
  type ConcreteConvAlgorithm,
} from './geometry.js';

function resolveAlgorithm(op: string, algorithm: unknown): ConcreteConvAlgorithm | 'auto' {
  const a = algorithm ?? 'direct';
  if (a === 'auto' || CONV_ALGORITHMS.includes(a as ConcreteConvAlgorithm))
    return a as ConcreteConvAlgorithm | 'auto';
  throw new ConvArgumentError(
    op,
    'algorithm',
    `one of ${[...CONV_ALGORITHMS, 'auto'].map((s) => `'${s}'`).join(', ')}`,
    a,
  );
}

/** conv2d under another op's name (for error messages). */
export function conv2dAs(op: string, x: Tensor, w: Tensor, opts: Conv2DOptions): Tensor {
  const g = conv2dGeometry(op, x.shape, w.shape, opts);
  assertDtype(x, 'float32', op);
  assertDtype(w, 'float32', op);
  const requested = resolveAlgorithm(op, opts.algorithm);
  const algorithm = requested === 'auto' ? chooseAlgorithm(g).algorithm : requested;
  const transform = opts.fftTransform ?? 'auto';
  if (!['auto', 'backend', 'dft'].includes(transform))
    throw new ConvArgumentError(op, 'fftTransform', "'auto', 'backend' or 'dft'", transform);
  return tf.tidy(() => runAlgorithm(algorithm, x, w, g, transform));
}

/**
 * `activation(conv2d(x, w) + bias)` as one `FusedConv2D` kernel (see `directConv2dFused`), for the conv layers:
 * undefined unless the algorithm (after `'auto'`'s choice) is `'direct'` with one group on a backend with that kernel,
 * and then the caller composes conv2d, add and the activation. Same checks and errors as `conv2d`.
 */
export function conv2dBiasActivation(
  op: string,
  x: Tensor,
  w: Tensor,
  bias: Tensor,
  activation: FusedActivation,
  opts: Conv2DOptions,
): Tensor | undefined {
  const g = conv2dGeometry(op, x.shape, w.shape, opts);
  assertDtype(x, 'float32', op);
  assertDtype(w, 'float32', op);
  const requested = resolveAlgorithm(op, opts.algorithm);
  const algorithm = requested === 'auto' ? chooseAlgorithm(g).algorithm : requested;
  if (algorithm !== 'direct' || !canFuseDirect(g)) return undefined;
  return tf.tidy(() => directConv2dFused(x, w, bias, activation, g));
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
  /** Step along the length. Default 1. */
  readonly strides?: number;
  /** Spacing between kernel taps. Default 1. */
  readonly dilations?: number;
  /**
   * Old name of `strides`, still accepted.
   * @deprecated Use `strides` (the name `conv2d` uses).
   */
  readonly stride?: number;
  /**
   * Old name of `dilations`, still accepted.
   * @deprecated Use `dilations` (the name `conv2d` uses).
   */
  readonly dilation?: number;
  /** `'valid'` (default), `'same'` or explicit `[before, after]`. */
  readonly padding?: 'valid' | 'same' | readonly [number, number];
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
  if (w.rank !== 3)
    throw new ShapeError('conv1d', 'rank 3 [kernelSize, channels / groups, filters]', w.shape, 'kernel');
  const strides = aliasedOption(options, 'strides', 'stride');
  const dilations = aliasedOption(options, 'dilations', 'dilation');
  for (const { name, value } of [strides, dilations]) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1))
      throw new ConvArgumentError('conv1d', name, 'a positive integer', value);
  }
  const p = options.padding ?? 'valid';
  let padding: Conv2DOptions['padding'];
  if (p === 'valid' || p === 'same')
    padding =
      p === 'same'
        ? [
            [0, 0],
            [0, 0],
          ]
        : 'valid';
  else if (Array.isArray(p) && p.length === 2)
    padding = [
      [0, 0],
      [p[0], p[1]],
    ];
  else throw new ConvArgumentError('conv1d', 'padding', "'valid', 'same' or [before, after]", p);
  if (p === 'same') {
    // 'same' along the length only (2-D 'same' would also pad the height-1 axis for kernels of height 1: no-op,
    // but the rule is computed here so that it is TensorFlow's along the length).
    const k = ((w.shape as number[])[0] - 1) * (dilations.value ?? 1) + 1;
    const s = strides.value ?? 1;
    const len = (x.shape as number[])[1];
    const total = Math.max((Math.ceil(len / s) - 1) * s + k - len, 0);
    padding = [
      [0, 0],
      [Math.floor(total / 2), total - Math.floor(total / 2)],
    ];
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
  const k = (ws[0] - 1) * (dilations.value ?? 1) + 1;
  const padded = xs[1] + (Array.isArray(padding) ? padding[1][0] + padding[1][1] : 0);
  if (k > padded) {
    throw new ShapeError(
      'conv1d',
      `an input at least ${k} long after padding`,
      xs,
      `kernel [${ws.join(', ')}] with dilation ${dilations.value ?? 1} spans ${k}, longer than the padded input ${padded}`,
    );
  }
  const y = tf.tidy(() =>
    conv2dAs('conv1d', tf.expandDims(x, 1), tf.expandDims(w, 0), {
      strides: [1, strides.value ?? 1],
      dilations: [1, dilations.value ?? 1],
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

// conv1d once took `stride`/`dilation`; they stay as aliases of conv2d's `strides`/`dilations`. Two different values
// would leave one silently ignored, so that is an error naming both. Returns the value and the name it came under
// (for the range error).
function aliasedOption(
  options: Conv1DOptions,
  name: 'strides' | 'dilations',
  alias: 'stride' | 'dilation',
): { readonly name: string; readonly value: number | undefined } {
  const v = options[name];
  const a = options[alias];
  if (v !== undefined && a !== undefined && v !== a) {
    throw new ConvArgumentError(
      'conv1d',
      `${name} (and its deprecated alias ${alias})`,
      'one value when both are given',
      { [name]: v, [alias]: a },
    );
  }
  return { name: v === undefined && a !== undefined ? alias : name, value: v ?? a };
}
