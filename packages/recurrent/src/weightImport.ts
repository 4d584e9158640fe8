// Bringing in recurrent weights trained in Keras or PyTorch: the gate orders and layouts of each, mapped to ours.
import { tf, type Tensor } from '@nutshell/tensor';
import { GRUCell } from './gruCell.js';
import { LSTMCell } from './lstmCell.js';
import { WeightLayoutError, RecurrentArgumentError } from './errors.js';
import type { RNN } from './rnn.js';

/**
 * A Keras (or tfjs-layers) recurrent layer's weights, as `layer.get_weights()` lists them: `kernel`
 * `[features, gates·units]`, `recurrent_kernel` `[units, gates·units]`, `bias`. Gate order: LSTM i, f, c, o;
 * GRU z, r, h. Nutshell stores exactly this layout.
 * @public
 */
export interface KerasRecurrentWeights {
  readonly kernel: Tensor;
  readonly recurrentKernel: Tensor;
  /** `[gates·units]`, or `[2, 3·units]` for a GRU with `reset_after=True`. Absent when `use_bias=False`. */
  readonly bias?: Tensor;
}

/**
 * A PyTorch `nn.LSTM` / `nn.GRU` / `nn.RNN` layer's weights (one layer, one direction: `weight_ih_l0`, ...):
 * `weightIh` `[gates·units, features]`, `weightHh` `[gates·units, units]` (transposed against Keras), and two
 * biases `[gates·units]` that PyTorch adds separately. Gate order: LSTM i, f, g, o; GRU r, z, n.
 * @public
 */
export interface PytorchRecurrentWeights {
  readonly weightIh: Tensor;
  readonly weightHh: Tensor;
  /** Absent when `bias=False`. */
  readonly biasIh?: Tensor;
  readonly biasHh?: Tensor;
}

function check(op: string, layout: string, name: string, t: Tensor | undefined, shape: number[]): Tensor {
  if (!t || t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i]))
    throw new WeightLayoutError(op, name, shape, t?.shape, layout);
  return t;
}

/** Builds the layer for `features` inputs if it is not built yet; refuses a built layer of another size. */
function prepare(layer: RNN, features: number | undefined, op: string, layout: string, name: string): number {
  const built = layer.cell.inputDim;
  if (features === undefined)
    throw new WeightLayoutError(op, name, [layer.cell.gates * layer.units, built ?? -1], undefined, layout);
  if (built === undefined) layer.ensureBuilt([null, null, features]);
  return built ?? features;
}

/**
 * Loads weights saved by Keras or tfjs-layers into a Nutshell `LSTM`, `GRU` or `SimpleRNN` with the same `units`
 * (building it for the kernel's input size if needed). Each tensor's shape is checked against the Keras layout:
 * a mismatch is a `WeightLayoutError` naming it and both shapes. The caller keeps ownership of `w`.
 * @public
 */
export function importKerasWeights(layer: RNN, w: KerasRecurrentWeights): void {
  const op = `importKerasWeights(${layer.className} '${layer.name}')`;
  const g = layer.cell.gates * layer.units;
  const f = prepare(layer, w.kernel?.rank === 2 ? w.kernel.shape[0] : undefined, op, 'Keras', 'kernel');
  const values = [
    check(op, 'Keras', 'kernel', w.kernel, [f, g]),
    check(op, 'Keras', 'recurrent_kernel', w.recurrentKernel, [layer.units, g]),
  ];
  if (layer.cell.useBias) {
    const gruAfter = layer.cell instanceof GRUCell && layer.cell.resetAfter;
    values.push(check(op, 'Keras', 'bias', w.bias, gruAfter ? [2, g] : [g]));
  }
  layer.setWeights(values);
}

/** Splits `[gates·units, n]` or `[gates·units]` into gate blocks along axis 0 and reorders them. */
function reorder(t: Tensor, gates: number, order: number[]): Tensor {
  const parts = tf.split(t, gates, 0);
  return tf.concat(
    order.map((i) => parts[i]),
    0,
  );
}

/**
 * Loads one layer of a PyTorch `nn.LSTM` (into `LSTM`), `nn.GRU` (into `GRU` with `resetAfter: true`, PyTorch's
 * formulation) or `nn.RNN` with tanh (into `SimpleRNN`): transposes the matrices, reorders GRU gates from r, z, n
 * to z, r, h, and sums the two LSTM/RNN biases (a GRU keeps them as its two bias rows, because PyTorch's reset
 * gate multiplies the recurrent one). Shapes are checked: a mismatch is a `WeightLayoutError`. The caller keeps
 * ownership of `w`.
 * @public
 */
export function importPytorchWeights(layer: RNN, w: PytorchRecurrentWeights): void {
  const op = `importPytorchWeights(${layer.className} '${layer.name}')`;
  const cell = layer.cell;
  const u = layer.units;
  const g = cell.gates * u;
  if (cell instanceof GRUCell && !cell.resetAfter) {
    throw new RecurrentArgumentError(
      op,
      'resetAfter',
      'true (PyTorch applies the reset gate after the recurrent matmul)',
      false,
    );
  }
  if (cell instanceof LSTMCell && cell.recurrentActivation !== 'sigmoid') {
    throw new RecurrentArgumentError(
      op,
      'recurrentActivation',
      "'sigmoid' (PyTorch's gates)",
      cell.recurrentActivation,
    );
  }
  const f = prepare(
    layer,
    w.weightIh?.rank === 2 ? w.weightIh.shape[1] : undefined,
    op,
    'PyTorch',
    'weight_ih',
  );
  check(op, 'PyTorch', 'weight_ih', w.weightIh, [g, f]);
  check(op, 'PyTorch', 'weight_hh', w.weightHh, [g, u]);
  if (cell.useBias) {
    check(op, 'PyTorch', 'bias_ih', w.biasIh, [g]);
    check(op, 'PyTorch', 'bias_hh', w.biasHh, [g]);
  }
  const values = tf.tidy(() => {
    const gru = cell instanceof GRUCell;
    const order = gru ? [1, 0, 2] : Array.from({ length: cell.gates }, (_, i) => i); // r, z, n → z, r, h
    const out = [
      tf.transpose(reorder(w.weightIh, cell.gates, order)),
      tf.transpose(reorder(w.weightHh, cell.gates, order)),
    ];
    if (cell.useBias) {
      const bi = reorder(w.biasIh!, cell.gates, order);
      const bh = reorder(w.biasHh!, cell.gates, order);
      out.push(gru ? tf.stack([bi, bh]) : tf.add(bi, bh));
    }
    return out;
  });
  try {
    layer.setWeights(values);
  } finally {
    tf.dispose(values);
  }
}
