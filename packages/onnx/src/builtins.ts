// The exporters of every layer in @nutshell/layers, @nutshell/conv and @nutshell/recurrent, by registered class name.
// A plain table, not a registration at import: importing @nutshell/onnx (or @nutshell/all) for something else
// then costs nothing in a bundle.
import type { LayerExporter } from './exporter.js';
import { exportActivationLayer } from './exporters/activation.js';
import {
  exportConv1D,
  exportConv2D,
  exportDepthwiseConv2D,
  exportSeparableConv2D,
} from './exporters/conv.js';
import { exportDense, exportMaxout } from './exporters/dense.js';
import { exportInception } from './exporters/inception.js';
import { exportAdd, exportConcatenate, exportMultiply } from './exporters/merge.js';
import { exportBatchNormalization, exportLayerNormalization } from './exporters/normalization.js';
import * as pools from './exporters/pooling.js';
import { exportBidirectional, exportEmbedding, exportRecurrent } from './exporters/recurrent.js';
import { exportDropout, exportFlatten, exportReshape } from './exporters/reshaping.js';

/** The built-in exporters by layer class name. @internal */
export const BUILTIN_EXPORTERS: Readonly<Record<string, LayerExporter>> = {
  Dense: exportDense,
  Maxout: exportMaxout,
  Activation: exportActivationLayer,
  Dropout: exportDropout,
  Flatten: exportFlatten,
  Reshape: exportReshape,
  BatchNormalization: exportBatchNormalization,
  LayerNormalization: exportLayerNormalization,
  Add: exportAdd,
  Multiply: exportMultiply,
  Concatenate: exportConcatenate,
  Conv1D: exportConv1D,
  Conv2D: exportConv2D,
  DepthwiseConv2D: exportDepthwiseConv2D,
  SeparableConv2D: exportSeparableConv2D,
  Inception: exportInception,
  MaxPool2D: pools.exportMaxPool2D,
  AvgPool2D: pools.exportAvgPool2D,
  L2Pool2D: pools.exportL2Pool2D,
  MaxPool1D: pools.exportMaxPool1D,
  AvgPool1D: pools.exportAvgPool1D,
  GlobalMaxPool2D: pools.exportGlobalMaxPool2D,
  GlobalAvgPool2D: pools.exportGlobalAvgPool2D,
  GlobalMaxPool1D: pools.exportGlobalMaxPool1D,
  GlobalAvgPool1D: pools.exportGlobalAvgPool1D,
  // @nutshell/recurrent's layers (exported when that package registers them; typed structurally here)
  SimpleRNN: exportRecurrent,
  LSTM: exportRecurrent,
  GRU: exportRecurrent,
  Bidirectional: exportBidirectional,
  Embedding: exportEmbedding,
};
