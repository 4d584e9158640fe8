// Test helpers: central finite differences and closeness checks. Not part of the build.
import { tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { expect } from 'vitest';

/** Central finite-difference gradient of a scalar function f at x (float64 in JS, float32 in the tensor). */
export function numericGrad(f: (x: Tensor) => Tensor, x: Float32Array, shape: number[], h = 1e-2): Float32Array {
  const g = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const plus = x.slice();
    const minus = x.slice();
    plus[i] += h;
    minus[i] -= h;
    const fp = tf.tidy(() => f(tf.tensor(plus, shape)).dataSync()[0]);
    const fm = tf.tidy(() => f(tf.tensor(minus, shape)).dataSync()[0]);
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** Analytic gradient of f at x via tfjs autodiff. */
export function analyticGrad(f: (x: Tensor) => Tensor, x: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => tf.grad((t: Tensor) => f(t))(tf.tensor(x, shape)).dataSync() as Float32Array).slice();
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])))) {
      throw new Error(`index ${i}: got ${actual[i]}, expected ${expected[i]} (tol ${tol})`);
    }
  }
}
