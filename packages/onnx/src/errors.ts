import { NutshellError } from '@nutshell/tensor';

/**
 * A model holds a layer (or a layer option, or an activation) that ONNX export cannot write. The message names
 * the layer, its class and what is not supported, and lists what is.
 * @public
 */
export class UnsupportedLayerError extends NutshellError {
  /** The layer's name, e.g. `conv2d_1`. */
  readonly layer: string;
  /** The layer's class name, e.g. `'LSTM'`. */
  readonly className: string;
  constructor(layer: string, className: string, detail: string) {
    super(`exportOnnx: layer '${layer}' (${className}) cannot be exported to ONNX: ${detail}.`);
    this.layer = layer;
    this.className = className;
  }
}

/**
 * The model cannot be exported as a whole: it is not built, or it is not a `Sequential` or a graph `Model`.
 * @public
 */
export class OnnxExportError extends NutshellError {}
