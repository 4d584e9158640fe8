import { ArrayDataset, createDataset } from '@nutshell/datasets';
import { numTensors, tf } from '@nutshell/tensor';
import { Trainer } from '@nutshell/train';
import { describe, expect, it } from 'vitest';
import { getRecipe } from './recipes/index.js';
import { testMetrics } from './testMetrics.js';

describe('testMetrics', () => {
  it('one pass, batches of 3 over 7 samples: loss, accuracy, F1 and confusion match a float64 reference; leaks nothing', async () => {
    const recipe = getRecipe('mnist-mlp');
    const model = recipe.buildModel(3);
    const n = 7;
    const x = Float32Array.from({ length: n * 784 }, (_, i) => ((i * 7919) % 255) / 255);
    const y = Uint8Array.from([0, 1, 2, 3, 3, 9, 5]);
    const test = new ArrayDataset(createDataset({ x, y, featureShape: [784], numClasses: 10 }), {
      target: recipe.target,
      shape: recipe.sampleShape,
    });
    const trainer = new Trainer(model, { loss: recipe.loss(), optimizer: 'sgd', metrics: ['accuracy'] });

    // Reference: the logits of all 7 samples at once, softmax cross-entropy and argmax in float64 here.
    const all = tf.tensor2d(x, [n, 784]);
    const logitsT = model.predict(all);
    const logits = Array.from(await logitsT.data());
    tf.dispose([all, logitsT]);
    let lossSum = 0;
    const predicted: number[] = [];
    for (let r = 0; r < n; r++) {
      const row = logits.slice(r * 10, r * 10 + 10);
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
      lossSum += lse - row[y[r]!]!;
      predicted.push(row.indexOf(max));
    }
    const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    predicted.forEach((p, r) => confusion[y[r]!]![p]!++);

    const before = numTensors();
    const m = await testMetrics(trainer, model, test, 3);
    expect(numTensors()).toBe(before);
    expect(m.samples).toBe(7);
    expect(m.loss).toBeCloseTo(lossSum / n, 5);
    expect(m.accuracy).toBeCloseTo(predicted.filter((p, r) => p === y[r]).length / n, 12);
    expect(m.confusion).toEqual(confusion);
    // The same figures whatever the batch size (one batch of 7, batches of 3 + 3 + 1).
    const whole = await testMetrics(trainer, model, test, 100);
    expect(whole.confusion).toEqual(m.confusion);
    expect(whole.loss).toBeCloseTo(m.loss, 6);
    expect(whole.f1).toBe(m.f1);
    trainer.dispose();
    model.dispose();
  });
});
