import { NutshellError } from '@nutshell/tensor';

/**
 * Training data that cannot be trained on: features and labels of different lengths, a label outside the
 * classes the model predicts, or a value that is NaN or infinite. The message names the row and what was expected.
 * @public
 */
export class DataError extends NutshellError {
  /** The row (sample index) at fault, when one row is. */
  readonly row: number | undefined;
  constructor(message: string, row?: number) {
    super(message);
    this.row = row;
  }
}

/**
 * An option that makes no sense (a batch size of 0, an unknown loss or metric name, a validation split of 1.5).
 * The message names the option, the value given and what is allowed.
 * @public
 */
export class ConfigError extends NutshellError {
  /** The option at fault, e.g. `batchSize`. */
  readonly option: string;
  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}

/**
 * A checkpoint that cannot be used: missing, truncated, corrupted (its checksum does not match) or written for
 * a different model. The message names the file and what was wrong.
 * @public
 */
export class CheckpointError extends NutshellError {
  /** The checkpoint file (or folder) at fault. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}
