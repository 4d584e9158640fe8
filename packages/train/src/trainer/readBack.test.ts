import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { Dense, Sequential } from '@nutshell/layers';
import { ReadBack } from './readBack.js';
import type { PendingBatch } from './readBack.js';
import { Trainer } from './Trainer.js';
import { SGD } from '../optimizers/sgd.js';
import { categoricalCrossentropy } from '../losses/categoricalCrossentropy.js';
import type { BatchEndEvent } from './events.js';

const batch = (stats: Tensor | Tensor[], step: number): PendingBatch => ({
  stats,
  epoch: 0,
  batch: step,
  step,
  size: 4,
  lr: 0.1,
});

describe('ReadBack', () => {
  it('reads stacked statistics and separate scalars alike, in order, and frees them', async () => {
    const before = tf.memory().numTensors;
    const seen: [number, number[]][] = [];
    const rb = new ReadBack(0, async (p, v) => void seen.push([p.step, Array.from(v)]));
    await rb.push(batch(tf.tensor1d([1.5, 0.25, 9]), 0));
    await rb.push(batch([tf.scalar(2.5), tf.scalar(0.75), tf.scalar(4)], 1));
    // A per-sample metric is averaged as it is read: (1 + 0 + 1 + 1) / 4.
    await rb.push(batch([tf.scalar(0.5), tf.tensor1d([1, 0, 1, 1])], 2));
    expect(seen).toEqual([
      [0, [1.5, 0.25, 9]],
      [1, [2.5, 0.75, 4]],
      [2, [0.5, 0.75]],
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with lag 1 reads a batch only when the next is pushed, and frees one never read', async () => {
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const rb = new ReadBack(1, async (p) => void seen.push(p.step));
    await rb.push(batch([tf.scalar(1), tf.scalar(2)], 0));
    expect(seen).toEqual([]);
    await rb.push(batch([tf.scalar(3), tf.scalar(4)], 1));
    expect(seen).toEqual([0]);
    rb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ReadBack without promises', () => {
  it('reads separate scalars and hands them over with no promise when consume returns none', () => {
    const before = tf.memory().numTensors;
    const seen: number[][] = [];
    const rb = new ReadBack(0, (_p, v) => void seen.push(Array.from(v)));
    expect(rb.push(batch([tf.scalar(2.5), tf.tensor1d([1, 0, 0, 1])], 0))).toBeUndefined();
    expect(rb.push(batch([tf.scalar(1)], 1))).toBeUndefined(); // fewer values: the reused array is cut to size
    expect(seen).toEqual([[2.5, 0.5], [1]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('returns the promise of a stacked read, and frees the stack', async () => {
    const before = tf.memory().numTensors;
    const seen: number[][] = [];
    const rb = new ReadBack(0, (_p, v) => void seen.push(Array.from(v)));
    const pending = rb.push(batch(tf.tensor1d([3, 0.5]), 0));
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(seen).toEqual([[3, 0.5]]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ReadBack when consume throws', () => {
  it('with lag 1 keeps the batch just pushed, so that dispose frees it', () => {
    const before = tf.memory().numTensors;
    const rb = new ReadBack(1, () => {
      throw new Error('callback failed');
    });
    expect(rb.push(batch([tf.scalar(1)], 0))).toBeUndefined();
    expect(() => rb.push(batch([tf.scalar(2)], 1))).toThrow('callback failed');
    rb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a fit step on a backend that reads synchronously', () => {
  it('stacks and averages nothing on the device (no Pack, no Mean), and reports the loss and accuracy of the batch', async () => {
    const model = new Sequential([new Dense({ units: 3, seed: 4 })], { inputShape: [2] });
    const x = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
      [-1, 0.5],
    ]);
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3), 'float32');
    const loss = categoricalCrossentropy({ fromLogits: true });
    // Before the step changes the weights: the loss and accuracy the step's event must report.
    const [want, acc] = tf.tidy(() => {
      const p = model.apply(x) as Tensor;
      const hits = tf.cast(tf.equal(tf.argMax(p, 1), tf.argMax(y, 1)), 'float32');
      return [
        (loss.reduced ? loss.reduced(y, p) : tf.mean(loss.perSample(y, p))).dataSync()[0],
        tf.mean(hits).dataSync()[0],
      ];
    });
    const t = new Trainer(model, { loss, optimizer: new SGD({ learningRate: 0.1 }), metrics: ['accuracy'] });
    let event: BatchEndEvent | undefined;
    t.on('batchEnd', (e) => void (event = e));
    const info = await tf.profile(async () => {
      await t.fit({ x, y }, { epochs: 1, batchSize: 4, shuffle: false, checkData: false });
      return tf.scalar(0);
    });
    const names = info.kernels.map((k) => k.name);
    expect(names).not.toContain('Pack');
    expect(names).not.toContain('Mean');
    expect(event!.loss).toBeCloseTo(want, 6);
    expect(event!.metrics.accuracy).toBeCloseTo(acc, 6);
    t.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });
});
