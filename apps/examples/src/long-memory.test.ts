import { modelFromConfig, type Sequential } from '@nutshell/layers';
import { numTensors, read, tf } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import {
  SYMBOLS,
  chronoBias,
  gradientReachingStep,
  recallFirstData,
  recallModel,
  trainAtLength,
} from './long-memory.js';

describe('long memory example', () => {
  it('the data: one-hot symbols, a marker on the first step, the first symbol as the answer', async () => {
    const { x, y } = recallFirstData(3, 5, 1);
    const [xv, yv] = [await read(x), await read(y)];
    const f = SYMBOLS + 1;
    for (let n = 0; n < 3; n++) {
      for (let t = 0; t < 5; t++) {
        const row = Array.from(xv.slice((n * 5 + t) * f, (n * 5 + t + 1) * f));
        expect(row.slice(0, SYMBOLS).reduce((a, b) => a + b)).toBe(1);
        expect(row[SYMBOLS]).toBe(t === 0 ? 1 : 0);
      }
      expect(xv[n * 5 * f + yv[n]!]).toBe(1);
    }
    tf.dispose([x, y]);
  });

  it('chrono biases: forget gate (GRU: update gate) ln(u), u in [1, T − 1]; the LSTM input gate the opposite; the rest 0', async () => {
    const units = 16;
    const lstm = chronoBias('LSTM', units, 200).init([4 * units]);
    const gru = chronoBias('GRU', units, 200).init([2, 3 * units]);
    const [l, g] = [Array.from(await read(lstm)), Array.from(await read(gru))];
    const forget = l.slice(units, 2 * units);
    for (const b of forget) {
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThanOrEqual(Math.log(199) + 1e-6);
    }
    expect(Math.max(...forget)).toBeGreaterThan(Math.log(100)); // some units remember for 100+ steps
    l.slice(0, units).forEach((b, k) => expect(b).toBeCloseTo(-forget[k]!, 6));
    expect(l.slice(2 * units).every((b) => b === 0)).toBe(true);
    g.slice(0, units).forEach((b, k) => expect(b).toBeCloseTo(forget[k]!, 6)); // same seed, same time scales
    expect(g.slice(units).every((b) => b === 0)).toBe(true);
    tf.dispose([lstm, gru]);
  });

  it('a saved chrono-initialised model loads from its config with the same initial biases', async () => {
    const model = recallModel('LSTM', 50);
    const loaded = modelFromConfig(JSON.parse(JSON.stringify(model.getConfig()))) as Sequential;
    const x = tf.zeros([1, 3, SYMBOLS + 1]);
    tf.dispose([model.apply(x), loaded.apply(x)]);
    const bias = (m: Sequential) => m.layers[0]!.weights.find((w) => w.name.endsWith('bias'))!.variable;
    expect(Array.from(await read(bias(loaded)))).toEqual(Array.from(await read(bias(model))));
    expect(Math.max(...(await read(bias(model))))).toBeGreaterThan(0); // chrono, not zeros
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('a simple RNN learns a 6-step recall from scratch', async () => {
    const before = numTensors();
    const { accuracy, curve, model } = await trainAtLength('SimpleRNN', 6, {
      train: 512,
      epochs: 4,
      test: 256,
    });
    expect(accuracy).toBeGreaterThan(0.9); // guessing: 0.25
    expect(curve).toHaveLength(4);
    model.dispose();
    expect(numTensors()).toBe(before);
  }, 60_000);

  it('from scratch at 60 steps, same data and budget: the chrono LSTM learns the recall, a simple RNN stays near guessing', async () => {
    const before = numTensors();
    const opts = { train: 1024, epochs: 10, test: 256 };
    const lstm = await trainAtLength('LSTM', 60, opts);
    const rnn = await trainAtLength('SimpleRNN', 60, opts);
    lstm.model.dispose();
    rnn.model.dispose();
    // measured (wasm): LSTM 26, 31, 45, 53, 51, 73, 91 or 98, 100, 100, 100%; SimpleRNN 21% to 30%, 27% at the end
    expect(lstm.accuracy).toBeGreaterThan(0.95);
    expect(rnn.accuracy).toBeLessThan(0.4);
    expect(numTensors()).toBe(before);
  }, 60_000);

  it('untrained, over 60 steps: the gradient reaching step 1 vanishes through a simple RNN and a forget-bias-1 LSTM, not through chrono-initialised gates', async () => {
    const before = numTensors();
    const ratio: Record<string, number> = {};
    for (const cell of ['SimpleRNN', 'LSTM', 'GRU', 'LSTM (forget bias 1)'] as const) {
      const model = recallModel(cell, 60);
      const g = await gradientReachingStep(model, 60);
      expect(g).toHaveLength(60);
      ratio[cell] = g[0]! / g[59]!;
      model.dispose();
    }
    // measured: SimpleRNN 1.2e-4, LSTM (forget bias 1) 1.7e-5, LSTM (chrono) 9.9e-2, GRU (chrono) 7.2e-2
    expect(ratio.SimpleRNN).toBeLessThan(1e-3);
    expect(ratio['LSTM (forget bias 1)']).toBeLessThan(1e-3);
    expect(ratio.LSTM).toBeGreaterThan(2e-2);
    expect(ratio.GRU).toBeGreaterThan(2e-2);
    expect(numTensors()).toBe(before);
  }, 60_000);
});
