import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/tensor';
import { Trainer } from './Trainer.js';
import { SGD } from '../optimizers/sgd.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { LearningRateScheduler } from '../callbacks/LearningRateScheduler.js';
import { MemoryCheckpointStore } from '../checkpoint/store.js';
import type { Callback } from '../callbacks/callback.js';
import { Observers } from './observers.js';
import { tinyMlp } from '../test-utils/fixtures.js';

describe('one typed observer path: every event reaches its declared Callback method', () => {
  it('onCheckpoint and onWarning are called, after subscribers; History.logs has lr', async () => {
    const x = tf.randomUniform([64, 4], 0, 1, 'float32', 3);
    const y = tf.argMax(x, 1);
    const order: string[] = [];
    const cb: Callback = {
      onFitStart: () => void order.push('cb fitStart'),
      onCheckpoint: (e) => void order.push(`cb checkpoint ${e.step}`),
      onWarning: (e) => void order.push(`cb warning ${e.message.slice(0, 22)}`),
      onFitEnd: () => void order.push('cb fitEnd'),
    };
    const store = new MemoryCheckpointStore('run');
    const model = tinyMlp(4, 8, 4, 1);
    const trainer = new Trainer(model, {
      loss: sparseCategoricalCrossentropy({ fromLogits: true }),
      optimizer: new SGD({ learningRate: 0.1 }),
    });
    trainer.on('checkpoint', (e) => void order.push(`on checkpoint ${e.step}`));
    const history = await trainer.fit(
      { x, y },
      {
        epochs: 2,
        batchSize: 32,
        checkpoint: { to: store, everySteps: 1 },
        callbacks: [cb, new LearningRateScheduler((epoch) => 0.1 / (epoch + 1), { per: 'epoch' })],
      },
    );
    expect(order).toEqual([
      'cb fitStart',
      'on checkpoint 1',
      'cb checkpoint 1',
      'on checkpoint 2',
      'cb checkpoint 2',
      'on checkpoint 3',
      'cb checkpoint 3',
      'on checkpoint 4',
      'cb checkpoint 4',
      'cb fitEnd',
    ]);
    expect(history.logs.lr).toEqual([0.1, 0.05]);

    // A corrupt newest checkpoint: resuming warns (and uses the previous one).
    const newest = [...store.files.keys()].sort().at(-1)!;
    store.files.set(newest, Uint8Array.from(store.files.get(newest)!.subarray(0, 40)));
    order.length = 0;
    await trainer.fit({ x, y }, { epochs: 3, batchSize: 32, resume: store, callbacks: [cb] });
    expect(order.filter((o) => o.startsWith('cb warning'))).toEqual(['cb warning Checkpoint run/step-00']);
    trainer.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });
});

describe('events nobody hears are not built', () => {
  it('listening() follows subscribers and callbacks, and a subscriber added mid-fit hears the batches after', async () => {
    const x = tf.randomUniform([64, 4], 0, 1, 'float32', 3);
    const y = tf.argMax(x, 1);
    const model = tinyMlp(4, 8, 4, 1);
    const trainer = new Trainer(model, {
      loss: sparseCategoricalCrossentropy({ fromLogits: true }),
      optimizer: new SGD({ learningRate: 0.1 }),
    });
    const observers = new Observers();
    const epochOnly: Callback = { onEpochEnd: () => {} };
    expect(observers.listening('batchEnd', [])).toBe(false);
    expect(observers.listening('batchEnd', [epochOnly])).toBe(false);
    expect(observers.listening('batchEnd', [epochOnly, { onBatchEnd: () => {} }])).toBe(true);
    const off = observers.on('batchEnd', () => {});
    expect(observers.listening('batchEnd', [])).toBe(true);
    expect(observers.listening('batchStart', [])).toBe(false);
    off();
    expect(observers.listening('batchEnd', [])).toBe(false);

    // Two epochs of two batches; batchEnd is subscribed to only when epoch 0 ends.
    const heard: string[] = [];
    trainer.on('epochEnd', (e) => {
      if (e.epoch === 0)
        trainer.on('batchEnd', (b) => void heard.push(`${b.epoch}.${b.batch} ${b.loss.toFixed(3)}`));
    });
    const history = await trainer.fit({ x, y }, { epochs: 2, batchSize: 32, shuffle: false });
    expect(heard.map((h) => h.split(' ')[0])).toEqual(['1.0', '1.1']);
    // The epoch's loss is still the mean of its batches' losses, events heard or not.
    const losses = heard.map((h) => Number(h.split(' ')[1]));
    expect(history.logs.loss[1]).toBeCloseTo((losses[0] + losses[1]) / 2, 3);
    trainer.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });
});
