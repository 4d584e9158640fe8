import { describe, expect, it } from 'vitest';
import { LSTM, LSTMCell, traceLSTM } from './index.js';
import { tf, read } from '@nutshell/tensor';
import { checkForward, checkGradients } from './test-utils/checks.js';

describe('LSTM against the float64 textbook equations', () => {
  it('last output and final [h, c]', async () => {
    await checkForward({ kind: 'lstm', batch: 2, steps: 5, features: 3, units: 4 });
  });
  it('returnSequences, goBackwards, initial states and a padding mask', async () => {
    await checkForward({
      kind: 'lstm',
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
  it('without bias', async () => {
    await checkForward({ kind: 'lstm', batch: 2, steps: 3, features: 2, units: 2, useBias: false });
  });
  it('gradients through time: input, initial h and c, kernel, recurrent kernel, bias vs finite differences', async () => {
    await checkGradients({
      kind: 'lstm',
      batch: 2,
      steps: 4,
      features: 3,
      units: 3,
      withInitial: true,
      returnSequences: true,
    });
  });
  it('gradients with a padding mask and goBackwards', async () => {
    await checkGradients({
      kind: 'lstm',
      batch: 3,
      steps: 4,
      features: 2,
      units: 2,
      withInitial: true,
      withMask: true,
      goBackwards: true,
    });
  });
});

describe('LSTMCell', () => {
  it('starts the forget gate bias at 1 (unitForgetBias) and the rest at the bias initializer', async () => {
    const cell = new LSTMCell({ units: 2, biasInitializer: 'zeros' });
    const r = cell.step(tf.zeros([1, 3]), cell.zeroStates(1));
    expect(Array.from(await read(cell.weights[2].variable))).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    tf.dispose([r.output, ...r.states]);
    cell.dispose();
  });

  it('one step by hand: i = f = o = σ(1), c̃ = tanh(1), c = 2', async () => {
    const cell = new LSTMCell({
      units: 1,
      unitForgetBias: false,
      kernelInitializer: 'ones',
      recurrentInitializer: 'zeros',
    });
    // x = [0.25, 0.75]: every gate's pre-activation is 1; with the bias 0: i = f = o = σ(1), c̃ = tanh(1).
    const r = cell.step(tf.tensor2d([[0.25, 0.75]]), [tf.zeros([1, 1]), tf.fill([1, 1], 2)]);
    const s = 1 / (1 + Math.exp(-1));
    const c = s * 2 + s * Math.tanh(1);
    expect((await read(r.states[1]))[0]).toBeCloseTo(c, 6);
    expect((await read(r.output))[0]).toBeCloseTo(s * Math.tanh(c), 6);
    tf.dispose([r.output, ...r.states]);
    cell.dispose();
  });
});

describe('LSTM layer', () => {
  it('holds cell/kernel [features, 4u], cell/recurrent_kernel [u, 4u], cell/bias [4u], trainable, seeded; freezes', () => {
    const a = new LSTM({ units: 5, seed: 3 });
    const b = new LSTM({ units: 5, seed: 3 });
    const x = tf.zeros([1, 2, 7]);
    a.apply(x).dispose();
    b.apply(x).dispose();
    expect(a.weights.map((w) => [w.name.slice(a.name.length + 1), w.variable.shape, w.trainable])).toEqual([
      ['cell/kernel', [7, 20], true],
      ['cell/recurrent_kernel', [5, 20], true],
      ['cell/bias', [20], true],
    ]);
    expect(a.countParams()).toBe(4 * 5 * (7 + 5 + 1));
    a.weights.forEach((w, i) =>
      expect(Array.from(w.variable.dataSync())).toEqual(Array.from(b.weights[i].variable.dataSync())),
    );
    a.trainable = false;
    expect(a.trainableWeights).toEqual([]);
    expect(a.cell.trainableWeights).toEqual([]);
    x.dispose();
    a.dispose();
    b.dispose();
  });
});

describe('traceLSTM', () => {
  it('records the gates, memory and output of each step, matching forward(), leaking nothing', async () => {
    const layer = new LSTM({ units: 3, seed: 1, returnSequences: true });
    const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 4);
    const y = layer.apply(x);
    const before = tf.memory().numTensors;
    const t = await traceLSTM(layer, x);
    expect(tf.memory().numTensors).toBe(before);
    const seq = await read(y);
    t.hidden.forEach((h, step) => h.forEach((v, j) => expect(v).toBeCloseTo(seq[step * 3 + j], 6)));
    for (let step = 1; step < 5; step++) {
      for (let j = 0; j < 3; j++) {
        // c_t = f ⊙ c_{t−1} + i ⊙ c̃, h_t = o ⊙ tanh(c_t)
        expect(t.cell[step][j]).toBeCloseTo(
          t.forget[step][j] * t.cell[step - 1][j] + t.input[step][j] * t.candidate[step][j],
          6,
        );
        expect(t.hidden[step][j]).toBeCloseTo(t.output[step][j] * Math.tanh(t.cell[step][j]), 6);
      }
    }
    [...t.input.flat(), ...t.forget.flat(), ...t.output.flat()].forEach((g) =>
      expect(g >= 0 && g <= 1).toBe(true),
    );
    tf.dispose([x, y]);
    layer.dispose();
  });
});
