// The visualisers against @nutshell/layers' real Sequential and graph Model (not only hand-built ModelLikes).
import { Conv2D, inceptionNet, lenet } from '@nutshell/conv';
import { Concatenate, Dense, Flatten, Model, Sequential, input } from '@nutshell/layers';
import { ShapeError, numTensors, tf } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { VizError, describeModel, featureMaps, filterGrid, networkDiagram, pixelAt } from './index.js';
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
    const rect = (id: string) =>
      marks(fig, 'g', 'node')
        .find((g) => g.getAttribute('data-id') === id)!
        .getElementsByTagName('rect')[0]!;
    expect(rect('branch_a').getAttribute('y')).toBe(rect('branch_b').getAttribute('y'));
    expect(rect('branch_a').getAttribute('x')).not.toBe(rect('branch_b').getAttribute('x'));
    expect(marks(fig, 'path', 'edge')).toHaveLength(6);
    model.dispose();
  });

  it('feature maps of a Sequential model: one row per layer, no leaks, clear shape errors', async () => {
    const model = new Sequential(
      [
        new Flatten({ name: 'flat' }),
        new Dense({ units: 5, activation: 'relu', name: 'hidden' }),
        new Dense({ units: 3, name: 'out' }),
      ],
      {
        inputShape: [4, 4, 1],
        name: 'mlp',
      },
    );
    const x = tf.ones([4, 4, 1]);
    const before = numTensors();
    const fig = await featureMaps(model, x, { classNames: ['a', 'b', 'c'] });
    expect(numTensors()).toBe(before);
    expect(fig.images.map((i) => i.label)).toEqual(['input map 0', 'flat', 'hidden', 'out', 'colour scale']);
    expect(marks(fig, 'text').some((t) => /^Dense \[3\] · top: [abc]$/.test(t.textContent ?? ''))).toBe(true);
    // a binary model's single logit names the class it votes for
    const binary = new Sequential([new Dense({ units: 1, name: 'logit', seed: 1 })], {
      inputShape: [3],
      name: 'logreg',
    });
    const row = tf.tensor1d([1, 2, 3]);
    const batch = tf.expandDims(row, 0);
    const out = binary.predict(batch);
    const logit = (await out.data())[0]!;
    tf.dispose([batch, out]);
    const bfig = await featureMaps(binary, row, { classNames: ['benign', 'malignant'] });
    const detail = marks(bfig, 'text')
      .map((t) => t.textContent)
      .find((t) => t?.startsWith('Dense [1]'));
    expect(detail).toBe(`Dense [1] · ${logit.toFixed(2)} → ${logit > 0 ? 'malignant' : 'benign'}`);
    row.dispose();
    binary.dispose();
    const wrong = tf.ones([5, 5, 1]);
    await expect(featureMaps(model, wrong)).rejects.toThrow(ShapeError);
    await expect(featureMaps(model, wrong)).rejects.toThrow(
      'featureMaps: expected shape [4, 4, 1], got [5, 5, 1]',
    );
    await expect(filterGrid(model.layers[1]!)).rejects.toThrow(VizError);
    await expect(filterGrid(model.layers[1]!)).rejects.toThrow(
      'filterGrid: layer "hidden" has no convolution kernel',
    );
    x.dispose();
    wrong.dispose();
    model.dispose();
  });
});

describe('with @nutshell/conv networks', () => {
  it("draws an inception network's modules as four parallel branches", () => {
    const model = inceptionNet({ seed: 1 });
    const nodes = describeModel(model);
    const module1 = nodes.filter((n) => n.id.startsWith('inception_1'));
    expect(module1.map((n) => n.id)).toEqual([
      'inception_1/branch1x1',
      'inception_1/branch3x3_reduce',
      'inception_1/branch3x3',
      'inception_1/branch5x5_reduce',
      'inception_1/branch5x5',
      'inception_1/pool',
      'inception_1/pool_projection',
      'inception_1',
    ]);
    expect(module1.at(-1)!.inputs).toHaveLength(4);
    // every weight is counted once, in the branch that owns it
    expect(nodes.reduce((a, n) => a + n.params, 0)).toBe(model.countParams());
    const fig = networkDiagram(model);
    const ys = ['branch1x1', 'branch3x3_reduce', 'branch5x5_reduce', 'pool'].map((b) =>
      marks(fig, 'g', 'node')
        .find((g) => g.getAttribute('data-id') === `inception_1/${b}`)!
        .getElementsByTagName('rect')[0]!
        .getAttribute('y'),
    );
    expect(new Set(ys).size).toBe(1);
    expect(fig.title).toBe(
      `Network: ${model.layers.length} layers, ${model.countParams().toLocaleString('en-US')} parameters`,
    );
    model.dispose();
  });

  it("shows a Conv2D layer's kernels, and LeNet's maps of a constant image are constant", async () => {
    const conv = new Conv2D({ filters: 2, kernelSize: 3, seed: 3, name: 'edge' });
    const x = tf.ones([1, 6, 6, 1]);
    conv.apply(x).dispose(); // builds it
    // set a known kernel: filter 0 = horizontal edge (top row -1, bottom row +1)
    const k = new Float32Array(18);
    for (let c = 0; c < 3; c++) {
      k[(0 * 3 + c) * 2] = -1;
      k[(2 * 3 + c) * 2] = 1;
    }
    conv.weights.find((w) => w.name.endsWith('kernel'))!.variable.assign(tf.tensor4d(k, [3, 3, 1, 2]));
    const fig = await filterGrid(conv);
    const tile = fig.images[0]!.raster;
    for (let c = 0; c < 3; c++) {
      expect(pixelAt(tile, c, 0)[2]! - pixelAt(tile, c, 0)[0]!).toBeGreaterThan(60); // blue top row
      expect(pixelAt(tile, c, 2)[0]! - pixelAt(tile, c, 2)[2]!).toBeGreaterThan(60); // red bottom row
    }
    conv.dispose();
    x.dispose();

    const net = lenet({ seed: 1 });
    const img = tf.fill([28, 28, 1], 0.5);
    const before = numTensors();
    const maps = await featureMaps(net, img);
    expect(numTensors()).toBe(before);
    const spatial = maps.images.filter((i) => / map \d+$/.test(i.label ?? ''));
    expect(spatial.length).toBe(1 + 8 + 8 + 16 + 16);
    for (const m of spatial) {
      const first = pixelAt(m.raster, 0, 0).join();
      for (let yy = 0; yy < m.raster.height; yy++)
        for (let xx = 0; xx < m.raster.width; xx++) expect(pixelAt(m.raster, xx, yy).join()).toBe(first);
    }
    img.dispose();
    net.dispose();
  });
});
