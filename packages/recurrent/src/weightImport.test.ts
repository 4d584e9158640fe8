import { describe, expect, it } from 'vitest';
import { read, tf } from '@nutshell/tensor';
import {
  GRU,
  LSTM,
  SimpleRNN,
  WeightLayoutError,
  RecurrentArgumentError,
  importKerasWeights,
  importPytorchWeights,
} from './index.js';
import { values } from './test-utils/reference.js';

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** PyTorch's documented equations (nn.LSTM / nn.GRU / nn.RNN), float64, weights in PyTorch's own layout. */
function torchForward(
  kind: 'lstm' | 'gru' | 'rnn',
  x: number[][],
  u: number,
  wih: number[],
  whh: number[],
  bih: number[],
  bhh: number[],
): number[] {
  const F = x[0].length;
  const Wih = (row: number, k: number) => wih[row * F + k];
  const Whh = (row: number, k: number) => whh[row * u + k];
  let h = new Array<number>(u).fill(0);
  let c = new Array<number>(u).fill(0);
  for (const xt of x) {
    // gate block g, unit j: W_i{g} x + b_i{g} and W_h{g} h + b_h{g}
    const ih = (g: number, j: number) =>
      xt.reduce((s, v, k) => s + Wih(g * u + j, k) * v, 0) + bih[g * u + j];
    const hh = (g: number, j: number) => h.reduce((s, v, k) => s + Whh(g * u + j, k) * v, 0) + bhh[g * u + j];
    if (kind === 'lstm') {
      const cn = c.map(
        (cj, j) => sig(ih(1, j) + hh(1, j)) * cj + sig(ih(0, j) + hh(0, j)) * Math.tanh(ih(2, j) + hh(2, j)),
      );
      h = cn.map((v, j) => sig(ih(3, j) + hh(3, j)) * Math.tanh(v));
      c = cn;
    } else if (kind === 'gru') {
      h = h.map((hj, j) => {
        const r = sig(ih(0, j) + hh(0, j));
        const z = sig(ih(1, j) + hh(1, j));
        const n = Math.tanh(ih(2, j) + r * hh(2, j));
        return (1 - z) * n + z * hj;
      });
    } else {
      h = h.map((_, j) => Math.tanh(ih(0, j) + hh(0, j)));
    }
  }
  return h;
}

describe('importPytorchWeights', () => {
  for (const [kind, gates] of [
    ['lstm', 4],
    ['gru', 3],
    ['rnn', 1],
  ] as const) {
    it(`nn.${kind.toUpperCase()} weights (fixed values) give PyTorch's outputs`, async () => {
      const u = 3;
      const F = 2;
      const T = 4;
      const [wih, whh, bih, bhh] = [
        values(gates * u * F, 11, 0.7),
        values(gates * u * u, 12, 0.7),
        values(gates * u, 13, 0.5),
        values(gates * u, 14, 0.5),
      ];
      const xs = values(T * F, 15);
      const layer =
        kind === 'lstm'
          ? new LSTM({ units: u })
          : kind === 'gru'
            ? new GRU({ units: u })
            : new SimpleRNN({ units: u });
      const w = {
        weightIh: tf.tensor2d(wih, [gates * u, F]),
        weightHh: tf.tensor2d(whh, [gates * u, u]),
        biasIh: tf.tensor1d(bih),
        biasHh: tf.tensor1d(bhh),
      };
      const before = tf.memory().numTensors;
      importPytorchWeights(layer, w);
      expect(tf.memory().numTensors).toBe(before + 3); // the layer's three weights, nothing else
      const x = tf.tensor3d(xs, [1, T, F]);
      const y = layer.apply(x);
      const expected = torchForward(
        kind,
        Array.from({ length: T }, (_, t) => xs.slice(t * F, t * F + F)),
        u,
        wih,
        whh,
        bih,
        bhh,
      );
      const got = await read(y);
      expected.forEach((v, j) => expect(got[j]).toBeCloseTo(v, 5));
      tf.dispose([x, y, ...Object.values(w)]);
      layer.dispose();
    });
  }

  it('refuses a wrong layout with a WeightLayoutError naming the tensor and both shapes', () => {
    const layer = new LSTM({ units: 3, name: 'enc' });
    const w = {
      weightIh: tf.zeros([12, 2]),
      weightHh: tf.zeros([3, 12]),
      biasIh: tf.zeros([12]),
      biasHh: tf.zeros([12]),
    };
    const before = tf.memory().numTensors;
    expect(() => importPytorchWeights(layer, w)).toThrow(WeightLayoutError);
    expect(() => importPytorchWeights(layer, w)).toThrow(
      "importPytorchWeights(LSTM 'enc'): PyTorch tensor 'weight_hh' must have shape [12, 3], got [3, 12].",
    );
    expect(tf.memory().numTensors).toBe(before + 3); // built (3 weights), nothing leaked
    tf.dispose(Object.values(w));
    layer.dispose();
  });

  it('refuses a GRU with resetAfter false (not PyTorch’s formulation)', () => {
    const layer = new GRU({ units: 2, resetAfter: false });
    expect(() =>
      importPytorchWeights(layer, { weightIh: tf.zeros([6, 1]), weightHh: tf.zeros([6, 2]) }),
    ).toThrow(RecurrentArgumentError);
  });
});

describe('importKerasWeights', () => {
  it('Keras LSTM (i, f, c, o) weights load as they are; a wrong bias shape is refused', async () => {
    const u = 2;
    const layer = new LSTM({ units: u, name: 'k' });
    const kernel = tf.tensor2d(values(3 * 4 * u, 21), [3, 4 * u]);
    const recurrentKernel = tf.tensor2d(values(u * 4 * u, 22), [u, 4 * u]);
    const bias = tf.tensor1d(values(4 * u, 23));
    importKerasWeights(layer, { kernel, recurrentKernel, bias });
    expect(Array.from(await read(layer.weights[1].variable))).toEqual(
      Array.from(await read(recurrentKernel)),
    );
    expect(Array.from(await read(layer.weights[2].variable))).toEqual(Array.from(await read(bias)));
    const wrong = tf.zeros([2, 4 * u]);
    expect(() => importKerasWeights(layer, { kernel, recurrentKernel, bias: wrong })).toThrow(
      "importKerasWeights(LSTM 'k'): Keras tensor 'bias' must have shape [8], got [2, 8].",
    );
    const gru = new GRU({ units: u, name: 'g' });
    expect(() =>
      importKerasWeights(gru, {
        kernel: tf.zeros([3, 6]),
        recurrentKernel: tf.zeros([u, 6]),
        bias: tf.zeros([6]),
      }),
    ).toThrow("Keras tensor 'bias' must have shape [2, 6], got [6]");
    tf.dispose([kernel, recurrentKernel, bias, wrong]);
    layer.dispose();
    gru.dispose();
  });
});
