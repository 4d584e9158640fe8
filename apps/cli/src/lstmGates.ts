// The report's picture of an LSTM at work: its gates and memory at every step of one test sequence.
import type { ModelLike } from '@nutshell/layers';
import { LSTM, traceLSTM } from '@nutshell/recurrent';
import { tf, type Tensor } from '@nutshell/tensor';
import { gateHeatmaps, lstmGateRows, type NamedFigure } from '@nutshell/viz';

const TEXT =
  'One test sequence (for mnist-lstm, one image read row by row) through the trained LSTM: each gate\u2019s value for every unit (down) at every step (across), then the memory c. A forget gate near 1 (bright) keeps what the memory holds; the input gate decides what is written, the output gate what is read out.';

/**
 * For a model whose first layer is an LSTM, a `moreFigures` hook for the run report: the gates and memory of
 * that LSTM over the first sequence of `examples`, traced at each report so the picture follows training.
 * Undefined for any other model.
 */
export function lstmGateFigures(
  model: ModelLike,
  examples: Tensor,
): (() => Promise<readonly NamedFigure[]>) | undefined {
  const lstm = model.layers[0];
  if (!(lstm instanceof LSTM)) return undefined;
  return async () => {
    const first = tf.slice(examples, 0, 1);
    const t = await traceLSTM(lstm, first).finally(() => first.dispose());
    const figure = gateHeatmaps(lstmGateRows(t), {
      title: `LSTM '${lstm.name}': gates and memory over the ${t.input.length} steps of one test sequence`,
      unitHeight: lstm.units > 32 ? 2 : 6,
      xLabel: 'step',
    });
    return [{ name: 'lstm-gates', section: 'LSTM gates', sectionText: TEXT, figure }];
  };
}
