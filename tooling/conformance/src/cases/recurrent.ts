// The recurrent layers (@nutshell/recurrent) on every backend: forward over the steps, the gradient through time
// with respect to the input, and every weight's gradient, compared with the CPU backend. (Their float64
// references, forward and finite-difference gradients, are in packages/recurrent's own tests, on cpu and wasm.)
// Weights come from the layers' seeds, so every backend starts from the same values.
import type { OpCase } from '@nutshell/backend-conformance';
import { Bidirectional, GRU, LSTM, SimpleRNN, type RNN } from '@nutshell/recurrent';
import { tf, type Tensor } from '@nutshell/tensor';
import type { Layer } from '@nutshell/layers';

interface RecurrentSpec {
  readonly name: string;
  readonly make: () => Layer;
  readonly input: readonly number[];
  /** Run `forward` with this padding mask ([batch][steps] of 0/1) instead of `apply`. */
  readonly mask?: readonly (readonly number[])[];
  /** Run in training mode (dropout active; the layers' seeded masks are the same on every backend). */
  readonly training?: boolean;
}

function run(spec: RecurrentSpec, layer: Layer, x: Tensor): Tensor {
  if (!spec.mask) return layer.apply(x, { training: spec.training });
  const mask = tf.tensor2d(spec.mask.map((r) => [...r]));
  const { output, states } = (layer as RNN).forward(x, { mask, training: spec.training });
  tf.dispose([mask, ...states]);
  return output;
}

function withLayer<T>(spec: RecurrentSpec, f: (layer: Layer) => T): T {
  const layer = spec.make();
  try {
    return f(layer);
  } finally {
    layer.dispose();
  }
}

function recurrentCases(spec: RecurrentSpec): OpCase[] {
  const inputs = [{ shape: [...spec.input], min: -1, max: 1 }];
  return [
    {
      name: `recurrent ${spec.name}`,
      family: 'recurrent',
      kernels: ['BatchMatMul', 'Sigmoid', 'Tanh'],
      inputs,
      run: ([x]) => withLayer(spec, (layer) => run(spec, layer, x!)),
      forwardTolerance: 1e-4,
      gradientTolerance: 2e-4,
    },
    {
      name: `recurrent ${spec.name}: weight gradients`,
      family: 'recurrent',
      kernels: ['BatchMatMul', 'Sigmoid', 'Tanh'],
      inputs,
      gradient: false,
      note: 'the output is the gradient of every trainable weight (through time), flattened and concatenated',
      run: ([x]) =>
        withLayer(spec, (layer) => {
          tf.dispose(run(spec, layer, x!)); // builds the weights
          const vars = layer.trainableWeights.map((w) => w.variable);
          const { value, grads } = tf.variableGrads(
            () => tf.sum(tf.sin(run(spec, layer, x!))) as tf.Scalar,
            vars,
          );
          value.dispose();
          const flat = vars.map((v) => tf.reshape(grads[v.name]!, [-1]));
          const out = tf.concat(flat);
          tf.dispose([...flat, ...Object.values(grads)]);
          return out;
        }),
      forwardTolerance: 2e-4,
    },
  ];
}

const SPECS: readonly RecurrentSpec[] = [
  { name: 'LSTM 4 units, last output', make: () => new LSTM({ units: 4, seed: 1 }), input: [2, 6, 3] },
  {
    name: 'LSTM returnSequences goBackwards',
    make: () => new LSTM({ units: 3, returnSequences: true, goBackwards: true, seed: 2 }),
    input: [2, 5, 3],
  },
  {
    name: 'LSTM with a padding mask',
    make: () => new LSTM({ units: 3, seed: 3 }),
    input: [2, 5, 2],
    mask: [
      [1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1],
    ],
  },
  {
    name: 'GRU (resetAfter)',
    make: () => new GRU({ units: 4, returnSequences: true, seed: 4 }),
    input: [2, 5, 3],
  },
  {
    name: 'GRU (resetAfter false)',
    make: () => new GRU({ units: 3, resetAfter: false, seed: 5 }),
    input: [2, 5, 3],
  },
  {
    name: 'GRU with a padding mask, goBackwards',
    make: () => new GRU({ units: 3, goBackwards: true, seed: 9 }),
    input: [2, 5, 2],
    mask: [
      [1, 1, 0, 0, 0],
      [1, 1, 1, 1, 0],
    ],
  },
  {
    name: 'LSTM training with dropout and recurrent dropout',
    make: () => new LSTM({ units: 3, returnSequences: true, dropout: 0.25, recurrentDropout: 0.3, seed: 8 }),
    input: [2, 5, 3],
    training: true,
  },
  { name: 'SimpleRNN', make: () => new SimpleRNN({ units: 4, seed: 6 }), input: [2, 6, 3] },
  {
    name: 'Bidirectional(LSTM) concat',
    make: () => new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true, seed: 7 }) }),
    input: [2, 4, 3],
  },
];

/** Every recurrent case. */
export const RECURRENT_CASES: readonly OpCase[] = SPECS.flatMap(recurrentCases);
