// SimpleRNN, LSTM, GRU (and Bidirectional over them) as ONNX `RNN`, `LSTM`, `GRU` (layout 0: time first), and
// Embedding as `Gather`. Typed structurally, so @nutshell/onnx needs no dependency on @nutshell/recurrent.
import type { Layer } from '@nutshell/layers';
import type { OnnxGraphBuilder } from '../graphBuilder.js';
import type { LayerExportContext, LayerExporter, WeightValue } from '../exporter.js';

interface CellLike {
  readonly units: number;
  readonly activation: string;
  readonly recurrentActivation?: string;
  readonly resetAfter?: boolean;
  readonly useBias: boolean;
}

interface RnnLike extends Layer {
  readonly cell: CellLike;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
}

const ONNX_UNITS: Record<string, string> = {
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  relu: 'Relu',
  softsign: 'Softsign',
  softplus: 'Softplus',
};

/** Keras gate blocks (columns of the kernel) → ONNX's order: LSTM i f c o → i o f c; GRU z r h and RNN as they are. */
const GATE_ORDER: Record<string, number[]> = { SimpleRNN: [0], LSTM: [0, 3, 1, 2], GRU: [0, 1, 2] };
const OP: Record<string, string> = { SimpleRNN: 'RNN', LSTM: 'LSTM', GRU: 'GRU' };

/** Kernel [rows, gates·u] (x @ kernel) → ONNX [gates·u, rows] with the gate blocks reordered. */
function gatesFirst(w: WeightValue, units: number, order: readonly number[]): Float32Array {
  const [rows, cols] = w.shape;
  const out = new Float32Array(rows * cols);
  order.forEach((g, k) => {
    for (let j = 0; j < units; j++)
      for (let r = 0; r < rows; r++) out[(k * units + j) * rows + r] = w.values[r * cols + g * units + j];
  });
  return out;
}

function reorder(v: Float32Array, units: number, order: readonly number[]): number[] {
  return order.flatMap((g) => Array.from(v.subarray(g * units, (g + 1) * units)));
}

/** One direction's ONNX op over time-first `xt` [steps, batch, features]; returns [steps, batch, u] or [batch, u]. */
function recurrent(ctx: LayerExportContext, rnn: RnnLike, xt: string, prefix: string, base: string): string {
  const g: OnnxGraphBuilder = ctx.graph;
  const kind = rnn.className;
  const cell = rnn.cell;
  const u = cell.units;
  const order = GATE_ORDER[kind];
  const unit = (name: string) => {
    const onnx = ONNX_UNITS[name];
    if (!onnx)
      throw ctx.unsupported(
        `activation '${name}' in a recurrent cell (ONNX recurrent ops take ${Object.keys(ONNX_UNITS).join(', ')})`,
      );
    return onnx;
  };
  const activations =
    kind === 'SimpleRNN'
      ? [unit(cell.activation)]
      : kind === 'LSTM'
        ? [unit(cell.recurrentActivation!), unit(cell.activation), unit(cell.activation)]
        : [unit(cell.recurrentActivation!), unit(cell.activation)];
  const kernel = ctx.weight(`${prefix}cell/kernel`);
  const recurrentKernel = ctx.weight(`${prefix}cell/recurrent_kernel`);
  const gates = order.length;
  const inputs = [
    xt,
    g.constant(`${base}/W`, gatesFirst(kernel, u, order), [1, gates * u, kernel.shape[0]]),
    g.constant(`${base}/R`, gatesFirst(recurrentKernel, u, order), [1, gates * u, u]),
  ];
  if (cell.useBias) {
    // ONNX adds an input bias Wb and a recurrent bias Rb; GRU with resetAfter keeps them apart as Nutshell does.
    const b = ctx.weight(`${prefix}cell/bias`).values;
    const wb = reorder(b.subarray(0, gates * u), u, order);
    const rb =
      kind === 'GRU' && cell.resetAfter
        ? reorder(b.subarray(gates * u), u, order)
        : new Array<number>(gates * u).fill(0);
    inputs.push(g.constant(`${base}/B`, [...wb, ...rb], [1, 2 * gates * u]));
  }
  const attrs: Record<string, number | string | string[]> = { hidden_size: u, activations: activations };
  if (kind === 'GRU') attrs.linear_before_reset = cell.resetAfter ? 1 : 0;
  // The op has outputs Y [steps, 1, batch, u] and Y_h [1, batch, u]; builder ops have one output, so add both.
  const y = g.fresh(`${base}/Y`);
  const yh = g.fresh(`${base}/Y_h`);
  g.multi(OP[kind], inputs, [y, yh], base, attrs);
  return rnn.returnSequences
    ? g.op('Squeeze', [y, g.ints(`${base}/dir_axis`, [1])], `${base}/sequence`)
    : g.op('Squeeze', [yh, g.ints(`${base}/dir_axis0`, [0])], `${base}/last`);
}

/** Time-first input, reversed for a layer that goes backwards (Nutshell's outputs follow the order it reads in). */
function timeFirst(ctx: LayerExportContext, x: string, backwards: boolean, base: string): string {
  const g = ctx.graph;
  const xt = g.op('Transpose', [x], `${base}/time_first`, { perm: [1, 0, 2] });
  if (!backwards) return xt;
  return g.op(
    'Slice',
    [
      xt,
      g.ints(`${base}/start`, [-1]),
      g.ints(`${base}/end`, [-(2 ** 53 - 1)]),
      g.ints(`${base}/axis`, [0]),
      g.ints(`${base}/step`, [-1]),
    ],
    `${base}/reversed`,
  );
}

function batchFirst(ctx: LayerExportContext, y: string, rnn: RnnLike, base: string): string {
  return rnn.returnSequences ? ctx.graph.op('Transpose', [y], `${base}/batch_first`, { perm: [1, 0, 2] }) : y;
}

/** SimpleRNN, LSTM and GRU. @internal */
export const exportRecurrent: LayerExporter = (ctx) => {
  const rnn = ctx.layer as RnnLike;
  if (ctx.inputs.length !== 1) throw ctx.unsupported('initial states given as inputs');
  const xt = timeFirst(ctx, ctx.inputs[0], rnn.goBackwards, rnn.name);
  return batchFirst(ctx, recurrent(ctx, rnn, xt, '', rnn.name), rnn, rnn.name);
};

/** Bidirectional: the forward and the backward layer as two ops, merged as the layer merges them. @internal */
export const exportBidirectional: LayerExporter = (ctx) => {
  const bi = ctx.layer as Layer & { forward: RnnLike; backward: RnnLike; mergeMode: string };
  const g = ctx.graph;
  const name = bi.name;
  const out = (rnn: RnnLike, prefix: string) =>
    batchFirst(
      ctx,
      recurrent(
        ctx,
        rnn,
        timeFirst(ctx, ctx.inputs[0], rnn.goBackwards, `${name}/${prefix}`),
        `${prefix}/`,
        `${name}/${prefix}`,
      ),
      rnn,
      `${name}/${prefix}`,
    );
  const f = out(bi.forward, 'forward');
  let b = out(bi.backward, 'backward');
  // Keras (and Nutshell) turn the backward sequence back into input order before merging.
  if (bi.backward.returnSequences)
    b = g.op(
      'Slice',
      [
        b,
        g.ints(`${name}/bstart`, [-1]),
        g.ints(`${name}/bend`, [-(2 ** 53 - 1)]),
        g.ints(`${name}/baxis`, [1]),
        g.ints(`${name}/bstep`, [-1]),
      ],
      `${name}/backward/in_order`,
    );
  switch (bi.mergeMode) {
    case 'concat':
      return g.op('Concat', [f, b], name, { axis: -1 });
    case 'sum':
      return g.op('Add', [f, b], name);
    case 'mul':
      return g.op('Mul', [f, b], name);
    case 'ave':
      return g.op('Mul', [g.op('Add', [f, b], `${name}/sum`), g.constant(`${name}/half`, [0.5], [])], name);
    default:
      throw ctx.unsupported(`mergeMode '${bi.mergeMode}'`);
  }
};

/** Embedding: the ids (float32 inputs, like every exported input) cast to int64, then rows of the table. @internal */
export const exportEmbedding: LayerExporter = (ctx) => {
  const g = ctx.graph;
  const table = ctx.weight('embeddings');
  const ids = g.op('Cast', [ctx.inputs[0]], `${ctx.layer.name}/ids`, { to: 7 });
  return g.op(
    'Gather',
    [g.constant(`${ctx.layer.name}/embeddings`, table.values, table.shape), ids],
    ctx.layer.name,
    { axis: 0 },
  );
};
