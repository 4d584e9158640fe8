import { tf } from '@nutshell/tensor';
import { ConfigError } from '../errors.js';
import { defineLoss, meanPerSample, sameShape } from './loss.js';
import type { Loss } from './loss.js';

/**
 * Huber loss: squared error for small errors, absolute error for large ones. With error e and threshold δ,
 * ½e² when |e| ≤ δ, else δ(|e| − ½δ); averaged over a sample's outputs.
 * @public
 */
export function huber(options: { delta?: number } = {}): Loss {
  const delta = options.delta ?? 1;
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) {
    throw new ConfigError('delta', `huber: delta must be a finite number > 0, got ${String(delta)}.`);
  }
  return defineLoss('huber', (yTrue, yPred) => {
    sameShape('huber', yTrue, yPred);
    const abs = tf.abs(tf.sub(yPred, yTrue));
    const quadratic = tf.minimum(abs, delta);
    const linear = tf.sub(abs, quadratic);
    // ½q² + δ·l equals ½e² below δ and δ(|e| − ½δ) above it, with one smooth formula.
    return meanPerSample(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(delta, linear)));
  });
}
