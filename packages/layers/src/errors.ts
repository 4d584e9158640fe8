import { NutshellError } from '@nutshell/tensor';

/**
 * A layer or model config named a class that is not registered. The message lists the known classes.
 * @public
 */
export class UnknownLayerError extends NutshellError {
  /** The class name that was asked for. */
  readonly className: string;
  /** The Nutshell package that provides the class, when it is one of theirs (e.g. `@nutshell/conv` for `Conv2D`). */
  readonly packageName: string | undefined;
  constructor(className: string, known: readonly string[], what = 'layer') {
    const pkg = LAYER_PACKAGES[className];
    super(
      pkg
        ? `Unknown ${what} class '${className}' in config: it comes from ${pkg}. Import it once before loading (import '${pkg}';), and install it if needed (npm install ${pkg}).`
        : `Unknown ${what} class '${className}' in config. Known: ${known.join(', ')}. ` +
            `A layer from another package registers itself with registerLayer(className, fromConfig) when that package is imported.`,
    );
    this.className = className;
    this.packageName = pkg;
  }
}

/** Layer classes of Nutshell's other packages, which register them when imported: what to import for a saved model. */
const LAYER_PACKAGES: Readonly<Record<string, string>> = Object.fromEntries([
  ...['Conv1D', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Inception', 'MaxPool2D', 'AvgPool2D', 'L2Pool2D', 'MaxPool1D', 'AvgPool1D', 'GlobalMaxPool2D', 'GlobalAvgPool2D', 'GlobalMaxPool1D', 'GlobalAvgPool1D'].map((c) => [c, '@nutshell/conv']),
  ...['Embedding', 'SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'SimpleRNNCell', 'LSTMCell', 'GRUCell'].map((c) => [c, '@nutshell/recurrent']),
]);

/**
 * A layer or model was used in a way its state does not allow (not built yet, already disposed, ...).
 * @public
 */
export class LayerStateError extends NutshellError {}

/**
 * Weights did not fit a model: a missing or extra tensor, or one of the wrong shape or dtype. The message names
 * the weight (and so its layer), the expected and the actual shape or dtype.
 * @public
 */
export class WeightsMismatchError extends NutshellError {
  /** The weight's name, e.g. `dense_1/kernel`. */
  readonly weight: string;
  constructor(weight: string, message: string) {
    super(`Weight '${weight}': ${message}`);
    this.weight = weight;
  }
}

/**
 * A label that a model cannot be trained on: not an integer class index in [0, classes), or NaN. The message
 * names the row, the label and the classes.
 * @public
 */
export class LabelError extends NutshellError {
  /** The row (example index) of the first bad label. */
  readonly row: number;
  /** The bad label. */
  readonly label: number;
  constructor(message: string, row: number, label: number) {
    super(message);
    this.row = row;
    this.label = label;
  }
}
