import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/tensor';
import { Trainer } from './Trainer.js';
import { SGD } from '../optimizers/sgd.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { LearningRateScheduler } from '../callbacks/LearningRateScheduler.js';
import { MemoryCheckpointStore } from '../checkpoint/store.js';
import type { Callback } from '../callbacks/callback.js';
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
