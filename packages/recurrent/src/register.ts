// Registers the recurrent layers with @nutshell/layers so that model configs containing them load.
import { registerLayer, type LayerConfig } from '@nutshell/layers';
import { Bidirectional, type BidirectionalArgs } from './bidirectional.js';
import { Embedding, type EmbeddingArgs } from './embedding.js';
import { GRU, type GRUArgs } from './gru.js';
import { GRUCell, type GRUCellArgs } from './gruCell.js';
import { LSTM, type LSTMArgs } from './lstm.js';
import { LSTMCell, type LSTMCellArgs } from './lstmCell.js';
import { SimpleRNN, type SimpleRNNArgs } from './simpleRnn.js';
import { SimpleRNNCell, type SimpleRNNCellArgs } from './simpleRnnCell.js';
import { TimeDistributed, type TimeDistributedArgs } from './timeDistributed.js';

let done = false;

/**
 * Registers every layer of `@nutshell/recurrent` with `registerLayer` (idempotent). Importing the package does
 * this already; call it yourself only if a bundler dropped that import's side effect.
 * @public
 */
export function registerRecurrentLayers(): void {
  if (done) return;
  done = true;
  const as = <T>(c: LayerConfig) => c as unknown as T;
  registerLayer('Embedding', (c) => new Embedding(as<EmbeddingArgs>(c)));
  registerLayer('SimpleRNN', (c) => new SimpleRNN(as<SimpleRNNArgs>(c)));
  registerLayer('LSTM', (c) => new LSTM(as<LSTMArgs>(c)));
  registerLayer('GRU', (c) => new GRU(as<GRUArgs>(c)));
  registerLayer('Bidirectional', (c) => new Bidirectional(as<BidirectionalArgs>(c)));
  registerLayer('TimeDistributed', (c) => new TimeDistributed(as<TimeDistributedArgs>(c)));
  registerLayer('SimpleRNNCell', (c) => new SimpleRNNCell(as<SimpleRNNCellArgs>(c)));
  registerLayer('LSTMCell', (c) => new LSTMCell(as<LSTMCellArgs>(c)));
  registerLayer('GRUCell', (c) => new GRUCell(as<GRUCellArgs>(c)));
}

registerRecurrentLayers();
