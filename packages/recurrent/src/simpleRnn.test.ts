import { describe, expect, it } from 'vitest';
import { read, tf } from '@nutshell/tensor';
import { SimpleRNNCell } from './index.js';
import { checkForward, checkGradients } from './test-utils/checks.js';

describe('SimpleRNN against the float64 textbook equations', () => {
  it('last output', async () => {
    await checkForward({ kind: 'simple', batch: 2, steps: 6, features: 3, units: 4 });
  });
  it('returnSequences, goBackwards, initial state, mask', async () => {
    await checkForward({
      kind: 'simple',
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
  it('gradients through time vs finite differences', async () => {
    await checkGradients({ kind: 'simple', batch: 2, steps: 5, features: 3, units: 3, withInitial: true });
  });
});

describe('SimpleRNNCell in a custom loop', () => {
  it('h₂ = tanh(x₂W + tanh(x₁W)U) by hand with W = 1, U = 0.5', async () => {
    const cell = new SimpleRNNCell({
      units: 1,
      kernelInitializer: 'ones',
      recurrentInitializer: { className: 'constant', config: { value: 0.5 } },
    });
    let states = cell.zeroStates(1);
    for (const v of [0.3, -0.2]) {
      const x = tf.tensor2d([[v]]);
      const r = cell.step(x, states);
      tf.dispose([x, ...states]);
      r.output.dispose();
      states = r.states;
    }
    expect((await read(states[0]))[0]).toBeCloseTo(Math.tanh(-0.2 + 0.5 * Math.tanh(0.3)), 6);
    tf.dispose(states);
    cell.dispose();
  });
});
