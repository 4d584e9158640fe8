import { describe, expect, it } from 'vitest';
import { numTensors, tf } from '@nutshell/tensor';
import { Dense, Dropout, Sequential } from '@nutshell/layers';
import { Trainer } from './Trainer.js';
import { Adam } from '../optimizers/adam.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { MemoryCheckpointStore } from '../checkpoint/store.js';
import { loadDigits } from '../test-utils/fixtures.js';

const digits = loadDigits();

function model(seed: number) {
  return new Sequential(
    [new Dense({ units: 32, activation: 'relu', seed }), new Dropout({ rate: 0.1, seed: seed + 1 }), new Dense({ units: 10, seed: seed + 2 })],
    { inputShape: [64] },
  );
}

describe('Trainer with @nutshell/layers models', () => {
  it('a Sequential MLP with dropout learns the digits (≥ 93% held out) and leaks nothing', async () => {
    const x = tf.tensor2d(digits.x, [digits.n, 64]);
    const y = tf.tensor1d(digits.y, 'int32');
    const m = model(1);
    const t = new Trainer(m, { loss: sparseCategoricalCrossentropy({ fromLogits: true }), optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
    const before = numTensors();
    const h = await t.fit({ x, y }, { epochs: 8, batchSize: 32, validationSplit: 0.2 });
    t.dispose();
    expect(numTensors()).toBe(before);
    expect(h.logs.val_accuracy.at(-1)).toBeGreaterThanOrEqual(0.93);
    tf.dispose([x, y]);
    m.dispose();
  }, 30_000);

  it('resumes a run with dropout exactly (the dropout generator state is checkpointed)', async () => {
    const n = 400;
    const x = tf.tensor2d(digits.x.subarray(0, n * 64), [n, 64]);
    const y = tf.tensor1d(digits.y.subarray(0, n), 'int32');
    const loss = sparseCategoricalCrossentropy({ fromLogits: true });
    const opts = { epochs: 2, batchSize: 20, seed: 4 };
    const a = model(5);
    const ta = new Trainer(a, { loss, optimizer: new Adam() });
    await ta.fit({ x, y }, opts);
    const store = new MemoryCheckpointStore();
    const b = model(5);
    const tb = new Trainer(b, { loss, optimizer: new Adam() });
    await tb.fit({ x, y }, { ...opts, checkpoint: { to: store, everySteps: 6 }, callbacks: [{ onBatchEnd: (e, ctx) => (e.step === 27 ? ctx.stop('crash') : undefined) }] });
    const c = model(11);
    const tc = new Trainer(c, { loss, optimizer: new Adam() });
    await tc.fit({ x, y }, { ...opts, resume: store });
    for (let i = 0; i < a.weights.length; i++) {
      expect(Array.from(await c.weights[i].variable.data())).toEqual(Array.from(await a.weights[i].variable.data()));
    }
    [ta, tb, tc].forEach((t) => t.dispose());
    [a, b, c].forEach((m) => m.dispose());
    tf.dispose([x, y]);
  }, 30_000);
});
