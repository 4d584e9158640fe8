import { LSTMCell, type LSTMCellArgs } from './lstmCell.js';
import { RNN, type RecurrentLayerArgs } from './rnn.js';

/** Arguments of {@link LSTM}. @public */
export interface LSTMArgs extends LSTMCellArgs, RecurrentLayerArgs {}

/**
 * Long short-term memory over a sequence: runs an {@link LSTMCell} (input, forget and output gates and a memory
 * cell with an additive path) over `[batch, steps, features]`. Gate order i, f, c, o; weights `kernel`
 * `[features, 4·units]`, `recurrent_kernel` `[units, 4·units]`, `bias` `[4·units]`, as Keras.
 *
 * @example
 * ```ts
 * const lstm = new LSTM({ units: 32, returnSequences: true, seed: 1 });
 * const y = lstm.apply(x);                              // [batch, steps, 32]
 * const { output, states: [h, c] } = lstm.forward(x);   // also the final states
 * ```
 * @public
 */
export class LSTM extends RNN {
  readonly className: string = 'LSTM';
  readonly cell: LSTMCell;

  constructor(args: LSTMArgs) {
    super(args);
    this.cell = new LSTMCell({ ...args, name: `${this.name}_cell`, trainable: undefined });
  }
}
