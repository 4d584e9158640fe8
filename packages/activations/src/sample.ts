import { NutshellError, tf, type Tensor } from '@nutshell/tensor';
import type { ActivationFn } from './activation.js';
import { getActivation } from './registry.js';

/** A sampled point of an activation: input, output and derivative. @public */
export interface ActivationPoint {
  readonly x: number;
  readonly y: number;
  /** dy/dx at x (by automatic differentiation; at a kink, the sub-gradient the function uses). */
  readonly dydx: number;
}

/** Options of {@link sample}. @public */
export interface SampleOptions {
  /** Number of evenly spaced points, both ends included (default 201). */
  readonly points?: number;
}

/**
 * Samples an activation on `[min, max]` for plotting: evenly spaced points with the value and the derivative at
 * each. Accepts a function or a registered name. Reads asynchronously, so it works on every backend; leaks no
 * tensors.
 *
 * @example
 * ```ts
 * const pts = await sample('tanh', [-4, 4], { points: 9 });
 * // pts[4] = { x: 0, y: 0, dydx: 1 }
 * ```
 * @public
 */
export async function sample(
  fn: ActivationFn | string,
  range: readonly [number, number],
  opts: SampleOptions = {},
): Promise<ActivationPoint[]> {
  const n = opts.points ?? 201;
  const [min, max] = range;
  if (!Number.isInteger(n) || n < 2) throw new NutshellError(`sample: points must be an integer >= 2, got ${n}.`);
  if (!(Number.isFinite(min) && Number.isFinite(max) && min < max)) {
    throw new NutshellError(`sample: range must be two finite numbers with min < max, got [${min}, ${max}].`);
  }
  const f = typeof fn === 'string' ? getActivation(fn) : fn;
  const xs = new Float32Array(n);
  for (let i = 0; i < n; i++) xs[i] = min + ((max - min) * i) / (n - 1);
  const [y, dy] = tf.tidy(() => {
    const x = tf.tensor1d(xs);
    // Element-wise activations: the gradient of sum(f(x)) is f'(x) at each point.
    const { value, grad } = tf.valueAndGrad((t: Tensor) => tf.sum(f(t)))(x);
    value.dispose();
    return [f(x), grad];
  });
  const [yv, dv] = await Promise.all([y.data(), dy.data()]);
  y.dispose();
  dy.dispose();
  return Array.from(xs, (x, i) => ({ x, y: yv[i], dydx: dv[i] }));
}
