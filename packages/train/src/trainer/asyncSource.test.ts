import { beforeAll, describe, expect, it } from 'vitest';
import { numTensors, tf, useBackend } from '@nutshell/tensor';
import { Trainer } from './Trainer.js';
import { Adam } from '../optimizers/adam.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { loadDigits, tinyMlp } from '../test-utils/fixtures.js';
import type { Batch, DataSource } from './dataSource.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const digits = loadDigits();
const N = 1200;

/** The digits as a source whose batches arrive after a delay, as files read from disk would; logs each request. */
function slowDigits(log: string[], failAt?: number): DataSource {
  return {
    size: N,
    async gather(indices) {
      const id = log.filter((l) => l.startsWith('gather')).length;
      log.push(`gather ${id}`);
      await new Promise((r) => setTimeout(r, 1));
      if (id === failAt) throw new Error(`disk error at request ${id}`);
      const x = new Float32Array(indices.length * 64);
      const y = new Int32Array(indices.length);
      for (let k = 0; k < indices.length; k++) {
        x.set(digits.x.subarray(indices[k] * 64, indices[k] * 64 + 64), k * 64);
        y[k] = digits.y[indices[k]];
      }
      return { x: tf.tensor2d(x, [indices.length, 64]), y: tf.tensor1d(y, 'int32') } satisfies Batch;
    },
  };
}

const options = () => ({
  loss: sparseCategoricalCrossentropy({ fromLogits: true }),
  optimizer: new Adam({ learningRate: 0.01 }),
  metrics: ['accuracy'],
  seed: 4,
});

describe('Trainer with an asynchronous DataSource', () => {
  it('trains to the same weights, bit for bit, as on the same data in tensors, and reads each batch ahead', async () => {
    const log: string[] = [];
    const a = tinyMlp(64, 32, 10, 5);
    const b = tinyMlp(64, 32, 10, 5);
    const ta = new Trainer(a, options());
    ta.on('batchStart', (e) => log.push(`train ${e.batch}`));
    const before = numTensors();
    const history = await ta.fit(slowDigits(log), { epochs: 3, batchSize: 64, checkData: false });
    const x = tf.tensor2d(digits.x.subarray(0, N * 64), [N, 64]);
    const y = tf.tensor1d(digits.y.subarray(0, N), 'int32');
    const tb = new Trainer(b, options());
    await tb.fit({ x, y }, { epochs: 3, batchSize: 64, checkData: false });
    for (let i = 0; i < a.weights.length; i++) {
      expect(Array.from(await a.weights[i].variable.data())).toEqual(
        Array.from(await b.weights[i].variable.data()),
      );
    }
    expect(history.logs.accuracy[2]).toBeGreaterThan(0.9);
    // The first-sample shape check and the loss's value check read once each (requests 0 and 1). Then batch 1
    // (request 3) is requested as soon as batch 0 (request 2) is handed out, before batch 0's step runs.
    expect(log.slice(0, 7)).toEqual([
      'gather 0',
      'gather 1',
      'train 0',
      'gather 2',
      'gather 3',
      'train 1',
      'gather 4',
    ]);
    // 19 batches an epoch, each gathered once: 3 × 19 + the 2 checks.
    expect(log.filter((l) => l.startsWith('gather'))).toHaveLength(2 + 3 * 19);
    ta.dispose();
    tb.dispose();
    tf.dispose([x, y]);
    expect(numTensors()).toBe(before);
    a.dispose();
    b.dispose();
  }, 30_000);

  it('a batch read ahead is freed when a callback stops training, and a failing read rejects the fit; nothing leaks', async () => {
    const model = tinyMlp(64, 16, 10, 2);
    const before = numTensors();
    const stopping = new Trainer(model, options());
    const h = await stopping.fit(slowDigits([]), {
      epochs: 2,
      batchSize: 100,
      checkData: false,
      callbacks: [{ onBatchEnd: (e, ctx) => (e.batch === 3 ? ctx.stop('enough') : undefined) }],
    });
    expect(h.stopped).toMatchObject({ epoch: 0, reason: 'enough' });
    stopping.dispose();
    expect(numTensors()).toBe(before);

    const failing = new Trainer(model, options());
    await expect(
      failing.fit(slowDigits([], 6), { epochs: 1, batchSize: 100, checkData: false }),
    ).rejects.toThrow('disk error at request 6');
    failing.dispose();
    expect(numTensors()).toBe(before);
    model.dispose();
  });
});
