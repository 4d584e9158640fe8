import { numTensors, read, tf } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import {
  SYMBOLS,
  gradientReachingStep,
  recallFirstData,
  recallModel,
  trainCurriculum,
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

  it('a simple RNN learns a 6-step recall; untrained, the gradient reaching step 1 of 40 is over two decades below that reaching step 40', async () => {
    const before = numTensors();
    const { accuracy, model } = await trainCurriculum('SimpleRNN', [6], { train: 512, epochs: 4, test: 256 });
    expect(accuracy[0]).toBeGreaterThan(0.9); // guessing: 0.25
    model.dispose();
    const fresh = recallModel('SimpleRNN');
    const g = await gradientReachingStep(fresh, 40);
    fresh.dispose();
    expect(g).toHaveLength(40);
    expect(g[0]! / g[39]!).toBeLessThan(1e-2); // measured 3e-3
    expect(numTensors()).toBe(before);
  }, 60_000);
});
