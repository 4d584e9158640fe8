// Padding masks passed between layers, and layers with several outputs, in Sequential and graph Models.
import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '@nutshell/tensor';
import {
  Dense,
  Flatten,
  Layer,
  Model,
  Sequential,
  input,
  modelFromConfig,
  registerLayer,
  type ApplyOptions,
  type LayerInputShape,
  type Shape,
} from '../index.js';

const values = async (t: Tensor) => Array.from(await t.data());

/** Marks a step as padding when all its features are 0 (as an embedding with a padding id does). */
class MaskZeros extends Layer {
  readonly className = 'MaskZeros';
  call(x: Tensor | Tensor[]): Tensor {
    return tf.clone(x as Tensor);
  }
  override outputMask(inputs: Tensor | Tensor[]): Tensor {
    return tf.cast(tf.any(tf.notEqual(inputs as Tensor, 0), -1), 'float32');
  }
}

/** Outputs the mask it was given, [batch, steps, 1] (ones without one). */
class ShowMask extends Layer {
  readonly className = 'ShowMask';
  override computeOutputShape(s: LayerInputShape): Shape {
    const x = s as Shape;
    return [x[0], x[1], 1];
  }
  call(x: Tensor | Tensor[], opts: ApplyOptions): Tensor {
    const t = x as Tensor;
    return opts.mask ? tf.expandDims(opts.mask, -1) : tf.ones([t.shape[0], t.shape[1] as number, 1]);
  }
}

let calls = 0;
/** Two outputs from one call: x and −x; counts its calls. */
class PlusMinus extends Layer {
  readonly className = 'PlusMinus';
  override get outputCount(): number {
    return 2;
  }
  override computeOutputShapes(s: LayerInputShape): Shape[] {
    return [s as Shape, s as Shape];
  }
  call(x: Tensor | Tensor[], opts: ApplyOptions): Tensor {
    return this.callAll(x, opts)[0];
  }
  override callAll(x: Tensor | Tensor[], _opts?: ApplyOptions): Tensor[] {
    calls++;
    return [tf.clone(x as Tensor), tf.neg(x as Tensor)];
  }
}
registerLayer('PlusMinus', (c) => new PlusMinus({ name: c.name }));

describe('padding masks between layers', () => {
  // Row 0 has two padded (all-zero) steps at the end.
  const x = () =>
    tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [0, 0],
        [0, 0],
      ],
      [
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ],
    ]);

  it('Sequential: made by one layer, passed through a per-step Dense, read by the next', async () => {
    const model = new Sequential([new MaskZeros(), new Dense({ units: 3, seed: 1 }), new ShowMask()]);
    const xs = x();
    expect(await values(model.apply(xs))).toEqual([1, 1, 0, 0, 1, 1, 1, 1]);
    // A caller's own mask reaches the first layer.
    const own = tf.tensor2d([
      [1, 0, 1, 0],
      [0, 1, 1, 1],
    ]);
    expect(await values(new Sequential([new ShowMask()]).apply(xs, { mask: own }))).toEqual([
      1, 0, 1, 0, 0, 1, 1, 1,
    ]);
    tf.dispose([xs, own]);
  });

  it('a layer that changes the steps (Flatten) drops it; a graph Model passes it like Sequential', async () => {
    const xs = x();
    const a = input([4, 2]);
    const shown = new ShowMask().apply(new Dense({ units: 2, seed: 2 }).apply(new MaskZeros().apply(a)));
    const model = new Model({ inputs: a, outputs: shown });
    expect(await values(model.apply(xs))).toEqual([1, 1, 0, 0, 1, 1, 1, 1]);
    const flat = new Flatten();
    const out = flat.apply(xs);
    expect(flat.outputMask(xs, tf.ones([2, 4]), out)).toBeUndefined();
    tf.dispose([xs, out]);
  });
});

describe('layers with several outputs', () => {
  it('applyAll wires every output into a graph Model, computed once per call; the config round-trips', async () => {
    const a = input([3], { name: 'a' });
    const pm = new PlusMinus({ name: 'pm' });
    const [plus, minus] = pm.applyAll(a);
    expect(pm.apply(a).shape).toEqual([null, 3]);
    const model = new Model({
      inputs: a,
      outputs: [minus, new Dense({ units: 1, seed: 3, name: 'd' }).apply(plus)],
    });
    const xs = tf.tensor2d([[1, -2, 3]]);
    calls = 0;
    const [m, d] = model.applyAll(xs);
    expect(calls).toBe(1);
    expect(await values(m)).toEqual([-1, 2, -3]);
    const config = model.getConfig();
    expect(config.nodes).toEqual([
      { id: 'pm:1', layer: 'pm', inputs: ['a'], multi: false, output: 1 },
      { id: 'pm', layer: 'pm', inputs: ['a'], multi: false, output: 0 },
      { id: 'd', layer: 'd', inputs: ['pm'], multi: false },
    ]);
    const again = modelFromConfig(JSON.parse(JSON.stringify(config))) as Model;
    expect(again.getConfig()).toEqual(config);
    again.weights.forEach((w, i) => w.variable.assign(model.weights[i].variable));
    calls = 0;
    const [m2, d2] = again.applyAll(xs);
    expect(calls).toBe(1);
    expect(await values(m2)).toEqual(await values(m));
    expect(await values(d2)).toEqual(await values(d));
    tf.dispose([xs, m, d, m2, d2]);
  });

  it('a single-output layer gives [apply(...)] from applyAll', async () => {
    const dense = new Dense({ units: 2, seed: 4 });
    const xs = tf.ones([1, 3]);
    const [y] = dense.applyAll(xs);
    const y1 = dense.apply(xs);
    expect(await values(y)).toEqual(await values(y1));
    tf.dispose([xs, y, y1]);
  });
});
