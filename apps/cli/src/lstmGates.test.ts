import { numTensors, randomUniform, tf } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { lstmGateFigures } from './lstmGates.js';
import { getRecipe } from './recipes/index.js';

describe('lstmGateFigures', () => {
  it("mnist-lstm: one heat-map figure of the LSTM's gates and memory over the 28 rows; leaks nothing", async () => {
    const model = getRecipe('mnist-lstm').buildModel(1);
    const examples = randomUniform([2, 28, 28], { seed: 1 });
    model.predict(examples).dispose(); // built
    const before = numTensors();
    const figures = await lstmGateFigures(model, examples)!();
    expect(numTensors()).toBe(before);
    expect(figures.map((f) => [f.name, f.section])).toEqual([['lstm-gates', 'LSTM gates']]);
    const svg = figures[0]!.figure.svg;
    for (const row of ['input gate i', 'forget gate f', 'output gate o', 'memory c'])
      expect(svg).toContain(row);
    expect(svg).toContain('over the 28 steps of one test sequence');
    tf.dispose(examples);
    model.dispose();
  });

  it('any other model: no hook', () => {
    const model = getRecipe('mnist-mlp').buildModel(1);
    const examples = tf.zeros([1, 784]);
    expect(lstmGateFigures(model, examples)).toBeUndefined();
    tf.dispose(examples);
    model.dispose();
  });
});
