// @nutshell/recurrent: sequence units — Embedding, SimpleRNN, LSTM, GRU and their cells.

// Embedding
export { Embedding } from './embedding.js';
export type { EmbeddingArgs } from './embedding.js';

// Cells (one step; for custom loops)
export { RecurrentCell } from './cell.js';
export type { RecurrentCellArgs, WeightAdder, CellWeights, StepResult } from './cell.js';
export { SimpleRNNCell } from './simpleRnnCell.js';
export type { SimpleRNNCellArgs } from './simpleRnnCell.js';
export { LSTMCell } from './lstmCell.js';
export type { LSTMCellArgs, LSTMGates } from './lstmCell.js';
export { GRUCell } from './gruCell.js';
export type { GRUCellArgs } from './gruCell.js';
export { runFusedSequence } from './fusedSequence.js';
export type {
  FusedRecurrence,
  FusedStepResult,
  FusedBackResult,
  FusedSequenceInputs,
  FusedSequenceResult,
} from './fusedSequence.js';

// Recurrent layers (a cell run over a sequence)
export { RNN } from './rnn.js';
export type { RecurrentLayerArgs, RecurrentForwardOptions, RecurrentResult } from './rnn.js';
export { SimpleRNN } from './simpleRnn.js';
export type { SimpleRNNArgs } from './simpleRnn.js';
export { LSTM } from './lstm.js';
export type { LSTMArgs } from './lstm.js';
export { traceLSTM } from './lstmTrace.js';
export type { LSTMTrace } from './lstmTrace.js';
export { GRU } from './gru.js';
export type { GRUArgs } from './gru.js';

export { Bidirectional } from './bidirectional.js';
export type { BidirectionalArgs, MergeMode } from './bidirectional.js';
export { TimeDistributed } from './timeDistributed.js';
export type { TimeDistributedArgs } from './timeDistributed.js';

// Weights from Keras and PyTorch
export { importKerasWeights, importPytorchWeights } from './weightImport.js';
export type { KerasRecurrentWeights, PytorchRecurrentWeights } from './weightImport.js';

// Registration and errors
export { registerRecurrentLayers } from './register.js';
export { RecurrentArgumentError, EmbeddingIndexError, WeightLayoutError } from './errors.js';
