import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/tensor';
import { GRU } from './index.js';
import { checkForward, checkGradients } from './test-utils/checks.js';

describe('GRU against the float64 textbook equations', () => {
  it('resetAfter (default): last output and final h', async () => {
    await checkForward({ kind: 'gru', batch: 2, steps: 5, features: 3, units: 4 });
  });
  it('resetAfter false (the original formulation), returnSequences, goBackwards, initial state, mask', async () => {
    await checkForward({
      kind: 'gruBefore',
      batch: 3,
      steps: 4,
      features: 2,
      units: 3,
      returnSequences: true,
      goBackwards: true,
      withInitial: true,
      withMask: true,
    });
  });
  it('gradients (input, initial h, kernel, recurrent kernel, [2, 3u] bias) vs finite differences', async () => {
    await checkGradients({
      kind: 'gru',
      batch: 2,
      steps: 4,
      features: 3,
      units: 3,
      withInitial: true,
      returnSequences: true,
    });
  });
  it('gradients, resetAfter false, with a mask', async () => {
    await checkGradients({
      kind: 'gruBefore',
      batch: 3,
      steps: 3,
      features: 2,
      units: 2,
      withInitial: true,
      withMask: true,
    });
  });
  it('weights: kernel [f, 3u], recurrent_kernel [u, 3u], bias [2, 3u] (or [3u] without resetAfter)', () => {
    const x = tf.zeros([1, 2, 4]);
    const a = new GRU({ units: 3 });
    const b = new GRU({ units: 3, resetAfter: false });
    a.apply(x).dispose();
    b.apply(x).dispose();
    expect(a.weights.map((w) => w.variable.shape)).toEqual([
      [4, 9],
      [3, 9],
      [2, 9],
    ]);
    expect(b.weights.map((w) => w.variable.shape)).toEqual([[4, 9], [3, 9], [9]]);
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });
});
