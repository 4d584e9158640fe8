// Watching an LSTM remember: its gates and memory at every step of one sequence, as plain numbers for pictures.
import { ShapeError, tf, type Tensor } from '@nutshell/tensor';
import type { LSTM } from './lstm.js';

/** Per step (outer) and unit (inner) values of one sequence through an LSTM. @public */
export interface LSTMTrace {
  /** Input gate i, in [0, 1]. */
  readonly input: number[][];
  /** Forget gate f, in [0, 1]. */
  readonly forget: number[][];
  /** Cell candidate c̃, in [−1, 1]. */
  readonly candidate: number[][];
  /** Output gate o, in [0, 1]. */
  readonly output: number[][];
  /** Memory c after each step. */
  readonly cell: number[][];
  /** Output h after each step. */
  readonly hidden: number[][];
}

/**
 * Runs the first sequence of `x` (`[batch, steps, features]`) through a built `LSTM` in inference mode and
 * records every gate, the memory and the output at each step, in processing order. For pictures
 * (`gateHeatmaps` in `@nutshell/viz`); leaks no tensor.
 * @public
 */
export async function traceLSTM(layer: LSTM, x: Tensor): Promise<LSTMTrace> {
  layer.computeOutputShape([...x.shape]);
  if (!layer.built)
    throw new ShapeError(
      `traceLSTM(LSTM '${layer.name}')`,
      'a built layer',
      [...x.shape],
      'apply the layer once first',
    );
  const cell = layer.cell;
  const steps = x.shape[1] as number;
  const recorded = tf.tidy(() => {
    const seq = tf.slice(x, [0, 0, 0], [1, -1, -1]);
    const projected = tf.unstack(tf.reshape(cell.projectInput(tf.reshape(seq, [steps, -1])), [steps, 1, -1]));
    let states = cell.zeroStates(1);
    const out: Tensor[][] = [];
    for (let k = 0; k < steps; k++) {
      const t = layer.goBackwards ? steps - 1 - k : k;
      const g = cell.gateActivations(projected[t], states);
      out.push([g.input, g.forget, g.candidate, g.output, g.cell, g.hidden]);
      states = [g.hidden, g.cell];
    }
    return tf.stack(out.map((o) => tf.stack(o))); // [steps, 6, 1, units]
  });
  const v = await recorded.data();
  recorded.dispose();
  const u = layer.units;
  const pick = (q: number) =>
    Array.from({ length: steps }, (_, t) => Array.from(v.subarray((t * 6 + q) * u, (t * 6 + q + 1) * u)));
  return {
    input: pick(0),
    forget: pick(1),
    candidate: pick(2),
    output: pick(3),
    cell: pick(4),
    hidden: pick(5),
  };
}
