import { ShapeError, tf, type Tensor } from '@nutshell/tensor';
import { ConvArgumentError } from './errors.js';
import { samePads } from './geometry.js';

/**
 * Options of the 2-D pooling ops.
 * @public
 */
export interface Pool2DOptions {
  /** Window size, one number or `[rows, columns]`. Default 2. */
  readonly poolSize?: number | readonly [number, number];
  /** Step between windows. Default: the pool size (non-overlapping windows). */
  readonly strides?: number | readonly [number, number];
  /** `'valid'` (default): only whole windows; `'same'`: zero-padded (max ignores the padding) to ceil(size / stride). */
  readonly padding?: 'valid' | 'same';
}

/**
 * Options of the 1-D pooling ops.
 * @public
 */
export interface Pool1DOptions {
  /** Window length. Default 2. */
  readonly poolSize?: number;
  /** Default: the pool size. */
  readonly strides?: number;
  /** Default `'valid'`. */
  readonly padding?: 'valid' | 'same';
}

interface PoolGeometry {
  size: [number, number];
  strides: [number, number];
  padding: 'valid' | 'same';
}

function pair(op: string, name: string, v: number | readonly [number, number] | undefined, dflt: [number, number]): [number, number] {
  const p: [number, number] = v === undefined ? dflt : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((d) => Number.isInteger(d) && d >= 1)) throw new ConvArgumentError(op, name, 'a positive integer or a pair of them', v);
  return p;
}

function poolGeometry(op: string, x: Tensor, opts: Pool2DOptions): PoolGeometry {
  if (x.rank !== 4) throw new ShapeError(op, 'rank 4 [batch, height, width, channels]', x.shape);
  const size = pair(op, 'poolSize', opts.poolSize, [2, 2]);
  const strides = pair(op, 'strides', opts.strides, size);
  const padding = opts.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') throw new ConvArgumentError(op, 'padding', "'valid' or 'same'", padding);
  const xs = x.shape as number[];
  if (padding === 'valid' && (size[0] > xs[1] || size[1] > xs[2])) {
    throw new ShapeError(op, `an input at least ${size[0]}×${size[1]}`, x.shape, `pool window ${size[0]}×${size[1]} is larger than the input`);
  }
  return { size, strides, padding };
}

/**
 * Max pooling: each output is the largest value in its window (per channel). Input `[batch, h, w, c]`.
 * The gradient flows to the window's maximum.
 * @public
 */
export function maxPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const g = poolGeometry('maxPool2d', x, options);
  return tf.maxPool(x as tf.Tensor4D, g.size, g.strides, g.padding);
}

/**
 * Average pooling (subsampling): each output is the mean of its window. With `'same'` padding, border windows
 * average only the values inside the input (TensorFlow's rule).
 * @public
 */
export function avgPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const g = poolGeometry('avgPool2d', x, options);
  return tf.avgPool(x as tf.Tensor4D, g.size, g.strides, g.padding);
}

/** √s with gradient 1/(2√s), and 0 where s = 0 (an all-zero window) instead of ∞. */
const safeSqrt = tf.customGrad((...args: unknown[]) => {
  const [s, save] = args as [Tensor, (t: Tensor[]) => void];
  const y = tf.sqrt(s);
  save([y]);
  return {
    value: y,
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [root] = saved;
      const positive = tf.greater(root, 0);
      return [tf.where(positive, tf.div(dy, tf.mul(2, tf.where(positive, root, tf.onesLike(root)))), tf.zerosLike(root))];
    },
  };
}) as unknown as (s: Tensor) => Tensor;

/**
 * L2 pooling, the power-average with p = 2: each output is the Euclidean norm √(Σ x²) of its window (zero
 * padding contributes nothing). Its gradient is x / output, and 0 for an all-zero window.
 * @public
 */
export function l2Pool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const g = poolGeometry('l2Pool2d', x, options);
  return tf.tidy(() => {
    let sq = tf.square(x);
    if (g.padding === 'same') {
      const xs = x.shape as number[];
      const [t, b] = samePads(xs[1], g.size[0], g.strides[0]);
      const [l, r] = samePads(xs[2], g.size[1], g.strides[1]);
      sq = tf.pad(sq, [[0, 0], [t, b], [l, r], [0, 0]]);
    }
    const sum = tf.mul(tf.avgPool(sq as tf.Tensor4D, g.size, g.strides, 'valid'), g.size[0] * g.size[1]);
    return safeSqrt(sum);
  });
}

/**
 * Global max pooling: `[batch, h, w, c]` → `[batch, c]`, the largest value of each channel.
 * @public
 */
export function globalMaxPool2d(x: Tensor): Tensor {
  if (x.rank !== 4) throw new ShapeError('globalMaxPool2d', 'rank 4 [batch, height, width, channels]', x.shape);
  return tf.max(x, [1, 2]);
}

/**
 * Global average pooling: `[batch, h, w, c]` → `[batch, c]`, the mean of each channel.
 * @public
 */
export function globalAvgPool2d(x: Tensor): Tensor {
  if (x.rank !== 4) throw new ShapeError('globalAvgPool2d', 'rank 4 [batch, height, width, channels]', x.shape);
  return tf.mean(x, [1, 2]);
}

function pool1d(op: string, pool2d: (x: Tensor, o: Pool2DOptions) => Tensor, x: Tensor, options: Pool1DOptions): Tensor {
  if (x.rank !== 3) throw new ShapeError(op, 'rank 3 [batch, length, channels]', x.shape);
  const size = options.poolSize ?? 2;
  const strides = options.strides ?? size;
  for (const [name, v] of [
    ['poolSize', size],
    ['strides', strides],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ConvArgumentError(op, name, 'a positive integer', v);
  }
  if ((options.padding ?? 'valid') === 'valid' && size > (x.shape as number[])[1]) {
    throw new ShapeError(op, `an input at least ${size} long`, x.shape, `pool window ${size} is longer than the input`);
  }
  return tf.tidy(() =>
    tf.squeeze(pool2d(tf.expandDims(x, 1), { poolSize: [1, size], strides: [1, strides], padding: options.padding }), [1]),
  );
}

/** Max pooling along the length of `[batch, length, channels]`. @public */
export function maxPool1d(x: Tensor, options: Pool1DOptions = {}): Tensor {
  return pool1d('maxPool1d', maxPool2d, x, options);
}

/** Average pooling along the length of `[batch, length, channels]`. @public */
export function avgPool1d(x: Tensor, options: Pool1DOptions = {}): Tensor {
  return pool1d('avgPool1d', avgPool2d, x, options);
}

/** L2 pooling √(Σ x²) along the length of `[batch, length, channels]`. @public */
export function l2Pool1d(x: Tensor, options: Pool1DOptions = {}): Tensor {
  return pool1d('l2Pool1d', l2Pool2d, x, options);
}

/**
 * `[batch, length, channels]` → `[batch, channels]`, the largest value of each channel. With a `mask`
 * (`[batch, length]`, nonzero for a real step, 0 for padding) only the real steps count; a row with none gives 0.
 * @public
 */
export function globalMaxPool1d(x: Tensor, mask?: Tensor): Tensor {
  if (x.rank !== 3) throw new ShapeError('globalMaxPool1d', 'rank 3 [batch, length, channels]', x.shape);
  if (!mask) return tf.max(x, 1);
  checkSequenceMask('globalMaxPool1d', x, mask);
  return tf.tidy(() => {
    const m = tf.expandDims(tf.notEqual(mask, 0), 2);
    // Padded steps become -Infinity so they never win; a row with no real step has no maximum and gives 0 (where, not a
    // product, so no Infinity or NaN reaches the output or the gradient).
    const best = tf.max(tf.where(tf.broadcastTo(m, x.shape), x, tf.fill(x.shape, -Infinity)), 1);
    return tf.where(tf.any(m, 1), best, tf.zerosLike(best));
  });
}

/**
 * `[batch, length, channels]` → `[batch, channels]`, the mean of each channel. With a `mask` (`[batch, length]`,
 * nonzero for a real step, 0 for padding) the mean is over the real steps only; a row with none gives 0 (not NaN).
 * @public
 */
export function globalAvgPool1d(x: Tensor, mask?: Tensor): Tensor {
  if (x.rank !== 3) throw new ShapeError('globalAvgPool1d', 'rank 3 [batch, length, channels]', x.shape);
  if (!mask) return tf.mean(x, 1);
  checkSequenceMask('globalAvgPool1d', x, mask);
  return tf.tidy(() => {
    const m = tf.expandDims(tf.cast(tf.notEqual(mask, 0), x.dtype), 2);
    // At least 1 in the divisor: a row with no real step sums to 0 and gives 0, never 0 / 0.
    return tf.div(tf.sum(tf.mul(x, m), 1), tf.maximum(tf.sum(m, 1), 1));
  });
}

/**
 * Throws a `ShapeError` naming `op` unless `mask` is `[batch, steps]` of the sequence `x` (`[batch, steps, c]`).
 * @internal
 */
export function checkSequenceMask(op: string, x: Tensor, mask: Tensor): void {
  if (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
    throw new ShapeError(op, [x.shape[0] as number, x.shape[1] as number], mask.shape, 'the mask is [batch, steps]');
  }
}
