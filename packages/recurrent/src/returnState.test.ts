// returnState: a recurrent layer's final states as outputs, on concrete tensors and wired in a graph Model.
import { describe, expect, it } from 'vitest';
import { Dense, input, Model, modelFromBytes, modelFromConfig, modelToBytes } from '@nutshell/layers';
import { read, tf, type Tensor } from '@nutshell/tensor';
import { Bidirectional, GRU, LSTM } from './index.js';

const dispose = (...ts: (Tensor | Tensor[])[]) => tf.dispose(ts.flat());
const same = async (a: Tensor, b: Tensor) =>
  expect(Array.from(await read(a))).toEqual(Array.from(await read(b)));

describe('returnState', () => {
  it('LSTM applyAll gives [output, h, c], equal to forward; apply gives the output; the config keeps it', async () => {
    const lstm = new LSTM({ units: 3, returnState: true, returnSequences: true, seed: 1 });
    const x = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 3);
    const all = lstm.applyAll(x);
    const ref = lstm.forward(x);
    expect(all.map((t) => t.shape)).toEqual([
      [2, 5, 3],
      [2, 3],
      [2, 3],
    ]);
    await same(all[0], ref.output);
    await same(all[1], ref.states[0]);
    await same(all[2], ref.states[1]);
    const y = lstm.apply(x);
    await same(y, ref.output);
    expect(lstm.outputCount).toBe(3);
    expect(lstm.getConfig().returnState).toBe(true);
    expect(new GRU({ units: 2, returnState: true }).outputCount).toBe(2);
    expect(new LSTM({ units: 2 }).outputCount).toBe(1);
    dispose(x, all, ref.output, ref.states, y);
    lstm.dispose();
  });

  it('Bidirectional(LSTM returnState): [merged output, forward h, c, backward h, c], as forwardWithStates', async () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 2, returnState: true, seed: 5 }) });
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 6);
    const all = bi.applyAll(x);
    const ref = bi.forwardWithStates(x);
    expect(bi.outputCount).toBe(5);
    expect(all.map((t) => t.shape)).toEqual([
      [2, 4],
      [2, 2],
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    await same(all[0], ref.output);
    for (let k = 0; k < 4; k++) await same(all[1 + k], ref.states[k]);
    dispose(x, all, ref.output, ref.states);
    bi.dispose();
  });

  it('an encoder-decoder graph Model: the encoder states start the decoder; config and save/load round-trip; training leaks nothing', async () => {
    const src = input([6, 3], { name: 'src' });
    const tgt = input([4, 2], { name: 'tgt' });
    const encoder = new LSTM({ units: 4, returnState: true, seed: 1, name: 'encoder' });
    const [, h, c] = encoder.applyAll(src);
    const decoder = new LSTM({ units: 4, returnSequences: true, seed: 2, name: 'decoder' });
    const out = new Dense({ units: 1, seed: 3 }).apply(decoder.apply([tgt, h, c]));
    const model = new Model({ inputs: [src, tgt], outputs: out });
    expect(model.getConfig().nodes).toContainEqual({
      id: 'encoder:2',
      layer: 'encoder',
      inputs: ['src'],
      multi: false,
      output: 2,
    });

    const xs = [
      tf.randomNormal([2, 6, 3], 0, 1, 'float32', 1),
      tf.randomNormal([2, 4, 2], 0, 1, 'float32', 2),
    ];
    const y = model.apply(xs);
    // By hand: the encoder's final states as the decoder's initial states.
    const enc = encoder.forward(xs[0]);
    const dec = decoder.forward(xs[1], { initialState: enc.states });
    const head = model.layers[model.layers.length - 1];
    const byHand = head.apply(dec.output);
    await same(y, byHand);

    const again = modelFromConfig(JSON.parse(JSON.stringify(model.getConfig()))) as Model;
    expect(again.getConfig()).toEqual(model.getConfig());
    const loaded = modelFromBytes(await modelToBytes(model)) as Model;
    const y2 = loaded.apply(xs);
    await same(y2, y);

    const vars = model.weights.map((w) => w.variable);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(
      () => tf.mean(tf.square(model.apply(xs, { training: true }))) as tf.Scalar,
      vars,
    );
    // The encoder learns only through its states: its kernel's gradient is not zero.
    const encKernel = encoder.weights[0].variable;
    dispose(value);
    expect(tf.memory().numTensors - Object.keys(grads).length).toBe(before);
    expect(Math.max(...Array.from(await read(grads[encKernel.name])).map(Math.abs))).toBeGreaterThan(0);
    dispose(Object.values(grads));
    dispose(xs, y, y2, byHand, enc.output, enc.states, dec.output, dec.states);
    model.dispose();
    again.dispose();
    loaded.dispose();
  });
});
