// The visualisers against @nutshell/layers' real Sequential and graph Model (not only hand-built ModelLikes).
import { Concatenate, Dense, Flatten, Model, Sequential, input } from '@nutshell/layers';
import { ShapeError, numTensors, tf } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { VizError, describeModel, featureMaps, filterGrid, networkDiagram } from './index.js';
import { marks } from './test-utils/svg.js';

describe('with @nutshell/layers models', () => {
  it('draws a graph model with its branches side by side', () => {
    const x = input([6], { name: 'in' });
    const h = new Dense({ units: 4, name: 'trunk' }).apply(x);
    const a = new Dense({ units: 3, name: 'branch_a' }).apply(h);
    const b = new Dense({ units: 2, name: 'branch_b' }).apply(h);
    const y = new Dense({ units: 2, name: 'head' }).apply(new Concatenate({ name: 'join' }).apply([a, b]));
    const model = new Model({ inputs: x, outputs: y, name: 'branchy' });
    const nodes = describeModel(model);
    expect(nodes.map((n) => [n.id, n.className, n.inputs])).toEqual([
      ['in', 'Input', []],
      ['trunk', 'Dense', ['in']],
      ['branch_a', 'Dense', ['trunk']],
      ['branch_b', 'Dense', ['trunk']],
      ['join', 'Concatenate', ['branch_a', 'branch_b']],
      ['head', 'Dense', ['join']],
    ]);
    expect(nodes.find((n) => n.id === 'join')!.outputShape).toEqual([null, 5]);
    expect(nodes.find((n) => n.id === 'trunk')!.params).toBe(6 * 4 + 4);
    const fig = networkDiagram(model);
    const rect = (id: string) => marks(fig, 'g', 'node').find((g) => g.getAttribute('data-id') === id)!.getElementsByTagName('rect')[0]!;
    expect(rect('branch_a').getAttribute('y')).toBe(rect('branch_b').getAttribute('y'));
    expect(rect('branch_a').getAttribute('x')).not.toBe(rect('branch_b').getAttribute('x'));
    expect(marks(fig, 'path', 'edge')).toHaveLength(6);
    model.dispose();
  });

  it('feature maps of a Sequential model: one row per layer, no leaks, clear shape errors', async () => {
    const model = new Sequential([new Flatten({ name: 'flat' }), new Dense({ units: 5, activation: 'relu', name: 'hidden' }), new Dense({ units: 3, name: 'out' })], {
      inputShape: [4, 4, 1],
      name: 'mlp',
    });
    const x = tf.ones([4, 4, 1]);
    const before = numTensors();
    const fig = await featureMaps(model, x, { classNames: ['a', 'b', 'c'] });
    expect(numTensors()).toBe(before);
    expect(fig.images.map((i) => i.label)).toEqual(['input map 0', 'flat', 'hidden', 'out', 'colour scale']);
    expect(marks(fig, 'text').some((t) => /^Dense \[3\] · top: [abc]$/.test(t.textContent ?? ''))).toBe(true);
    const wrong = tf.ones([5, 5, 1]);
    await expect(featureMaps(model, wrong)).rejects.toThrow(ShapeError);
    await expect(featureMaps(model, wrong)).rejects.toThrow('featureMaps: expected shape [4, 4, 1], got [5, 5, 1]');
    await expect(filterGrid(model.layers[1]!)).rejects.toThrow(VizError);
    await expect(filterGrid(model.layers[1]!)).rejects.toThrow('filterGrid: layer "hidden" has no convolution kernel');
    x.dispose();
    wrong.dispose();
    model.dispose();
  });
});
