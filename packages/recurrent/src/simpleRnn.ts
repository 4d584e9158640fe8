import { SimpleRNNCell, type SimpleRNNCellArgs } from './simpleRnnCell.js';
import { RNN, type RecurrentLayerArgs } from './rnn.js';

/** Arguments of {@link SimpleRNN}. @public */
export interface SimpleRNNArgs extends SimpleRNNCellArgs, RecurrentLayerArgs {}

/**
 * A simple (Elman) recurrent layer: `h_t = tanh(x_t·W + h_{t−1}·U + b)` over `[batch, steps, features]`.
 * Its memory fades within about ten steps (see {@link SimpleRNNCell}); use `LSTM` or `GRU` for longer ones.
 * @public
 */
export class SimpleRNN extends RNN {
  readonly className: string = 'SimpleRNN';
  readonly cell: SimpleRNNCell;

  constructor(args: SimpleRNNArgs) {
    super(args);
    this.cell = new SimpleRNNCell({ ...args, name: `${this.name}_cell`, trainable: undefined });
  }
}
