import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '@nutshell/tensor';
import { Dense, Dropout, Layer, Sequential } from '@nutshell/layers';
import { Trainer } from '../trainer/Trainer.js';
import { Adam } from '../optimizers/adam.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { MemoryCheckpointStore } from './store.js';
import { loadDigits } from '../test-utils/fixtures.js';

/** Dense then Dropout, held in fields of a composite layer: the dropout generator is a sub-layer's. */
class NoisyBlock extends Layer {
  readonly className = 'TestNoisyBlock';
  private readonly dense: Dense;
  private readonly drop: Dropout;
  constructor(seed: number) {
    super({});
    this.dense = new Dense({ units: 16, activation: 'relu', seed });
    this.drop = new Dropout({ rate: 0.3, seed: seed + 1 });
  }
  call(x: Tensor | Tensor[]): Tensor {
    return this.drop.apply(this.dense.apply(x as Tensor));
  }
}

const model = (seed: number) =>
  new Sequential([new NoisyBlock(seed), new Dense({ units: 10, seed: seed + 2 })], { inputShape: [64] });

describe('run checkpoints and composite layers', () => {
  it('a resumed run with a Dropout inside a composite layer ends bit-identical (its generator is checkpointed)', async () => {
    const digits = loadDigits();
    const n = 200;
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
    await tb.fit(
      { x, y },
      {
        ...opts,
        checkpoint: { to: store, everySteps: 4 },
        callbacks: [{ onBatchEnd: (e, ctx) => (e.step === 13 ? ctx.stop('crash') : undefined) }],
      },
    );
    const c = model(11); // other seeds: everything must come from the checkpoint
    const tc = new Trainer(c, { loss, optimizer: new Adam() });
    await tc.fit({ x, y }, { ...opts, resume: store });
    for (let i = 0; i < a.weights.length; i++) {
      expect(Array.from(await c.weights[i].variable.data())).toEqual(
        Array.from(await a.weights[i].variable.data()),
      );
    }
    [ta, tb, tc].forEach((t) => t.dispose());
    [a, b, c].forEach((m) => m.dispose());
    tf.dispose([x, y]);
  }, 30_000);
});
