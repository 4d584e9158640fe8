import { NutshellError } from '@nutshell/tensor';

/**
 * Data that cannot be used as given: features and labels of different lengths, a label out of range, a NaN in
 * a named row, a batch size that is not a positive integer. The message says what was wrong and where.
 * @public
 */
export class DatasetError extends NutshellError {}

/**
 * A data file that is truncated, malformed or not the format it claims to be. The message starts with the
 * file's path and says what was wrong with it.
 * @public
 */
export class DataFileError extends DatasetError {
  /** The file (or, for in-memory bytes, the name the caller gave them). */
  readonly file: string;
  /** What was wrong with it, as a sentence. */
  readonly problem: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.file = file;
    this.problem = problem;
  }
}
