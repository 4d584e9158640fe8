import { GRUCell, type GRUCellArgs } from './gruCell.js';
import { RNN, type RecurrentLayerArgs } from './rnn.js';

/** Arguments of {@link GRU}. @public */
export interface GRUArgs extends GRUCellArgs, RecurrentLayerArgs {}

/**
 * A gated recurrent unit layer: runs a {@link GRUCell} (update and reset gates) over `[batch, steps, features]`.
 * Gate order z, r, h; weights `kernel` `[features, 3·units]`, `recurrent_kernel` `[units, 3·units]`, `bias`
 * `[2, 3·units]` (with `resetAfter`, the default), as Keras.
 * @public
 */
export class GRU extends RNN {
  readonly className: string = 'GRU';
  readonly cell: GRUCell;

  constructor(args: GRUArgs) {
    super(args);
    this.cell = new GRUCell({ ...args, name: `${this.name}_cell`, trainable: undefined });
  }
}
