// The whole-sequence op (hand-written backward through time) against the same layer run step by step on the
// autodiff tape, where the float64 reference has no counterpart: seeded dropout and recurrent dropout in training,
// and the other activations with a closed-form derivative (relu, elu, hardSigmoid). Others (e.g. selu) run on the tape.
// The float64 and finite-difference checks in lstm/gru/simpleRnn.test.ts already run through the fused path.
import { read, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { GRU, LSTM, SimpleRNN, type RNN } from './index.js';
import { setFusedSequences } from './rnn.js';
import { values } from './test-utils/reference.js';

type Make = () => RNN;

/** Output, final states and the gradient of every input and weight, with the fused path on or off. */
async function run(make: Make, fused: boolean): Promise<number[][]> {
  const was = setFusedSequences(fused);
  try {
    const layer = make();
    const x = tf.tensor3d(values(3 * 5 * 4, 11, 1), [3, 5, 4]);
    const nStates = layer instanceof LSTM ? 2 : 1;
    const init = Array.from({ length: nStates }, (_, k) => tf.tensor2d(values(3 * 3, 20 + k, 0.5), [3, 3]));
    const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 0], [3, 5]);
    layer.apply(x).dispose(); // build
    const ws = layer.trainableWeights.map((w, k) => {
      const v = tf.tensor(values(w.variable.size, 30 + k, 0.5), w.variable.shape);
      w.variable.assign(v);
      v.dispose();
      return w.variable as Variable;
    });
    const before = tf.memory().numTensors;
    const loss = (xs: Tensor, states: Tensor[]) => {
      const r = layer.forward(xs, { initialState: states, mask, training: true });
      const w = tf.reshape(tf.range(1, r.output.size + 1), r.output.shape);
      return tf.add(tf.sum(tf.mul(tf.sin(w), r.output)), tf.sum(tf.square(r.states[nStates - 1])));
    };
    const out = layer.forward(x, { initialState: init, mask, training: true });
    const g = tf.grads((xs: Tensor, ...s: Tensor[]) => loss(xs, s) as tf.Scalar)([x, ...init]);
    const { value, grads } = tf.variableGrads(() => loss(x, init) as tf.Scalar, ws);
    const result = await Promise.all(
      [out.output, ...out.states, ...g, ...ws.map((w) => grads[w.name])].map(read),
    );
    tf.dispose([out.output, ...out.states, ...g, value, ...Object.values(grads)]);
    expect(tf.memory().numTensors, 'no tensor leaks from a forward and two backward passes').toBe(before);
    tf.dispose([x, ...init, mask]);
    layer.dispose();
    return result.map((a) => Array.from(a));
  } finally {
    setFusedSequences(was);
  }
}

async function compare(make: Make): Promise<void> {
  const fused = await run(make, true);
  const taped = await run(make, false);
  expect(fused.length).toBe(taped.length);
  fused.forEach((a, k) => {
    let err = 0;
    a.forEach((v, i) => (err = Math.max(err, Math.abs(v - taped[k][i]) / (1 + Math.abs(taped[k][i])))));
    expect(err, `result ${k} (output, states, d input, d states, d weights)`).toBeLessThan(2e-5);
  });
  // The dropout masks are seeded, so both runs drew the same ones; a gradient that ignored them would differ.
  expect(fused.flat().some((v) => v !== 0)).toBe(true);
}

describe('the whole-sequence op equals the step-by-step tape', () => {
  const common = { units: 3, dropout: 0.3, recurrentDropout: 0.4, seed: 5, returnSequences: true } as const;
  it('LSTM with dropout, recurrent dropout, a mask, initial states, goBackwards', async () => {
    await compare(() => new LSTM({ ...common, goBackwards: true }));
  });
  it('LSTM with relu as its activation and hardSigmoid gates', async () => {
    await compare(() => new LSTM({ ...common, activation: 'relu', recurrentActivation: 'hardSigmoid' }));
  });
  it('GRU (resetAfter) with dropout, recurrent dropout, a mask, initial states', async () => {
    await compare(() => new GRU({ ...common, returnSequences: false }));
  });
  it('SimpleRNN with dropout, recurrent dropout, relu, goBackwards; and with elu', async () => {
    await compare(() => new SimpleRNN({ ...common, activation: 'relu', goBackwards: true }));
    await compare(() => new SimpleRNN({ ...common, activation: 'elu' }));
  });
  it('falls back to the tape where it must: selu, GRU without resetAfter', () => {
    const lstm = new LSTM({ units: 2, activation: 'selu' });
    const gru = new GRU({ units: 2, resetAfter: false });
    expect(lstm.cell.fusedRecurrence()).toBeUndefined();
    expect(gru.cell.fusedRecurrence()).toBeUndefined();
    expect(new LSTM({ units: 2 }).cell.fusedRecurrence()).toBeDefined();
  });
});
