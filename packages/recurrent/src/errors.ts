import { NutshellError } from '@nutshell/tensor';

/**
 * A recurrent or embedding layer argument that is not a shape was out of range: units below 1, a dropout rate
 * outside [0, 1), an unknown merge mode. The message names the layer, the argument, what was expected and what
 * was given.
 * @public
 */
export class RecurrentArgumentError extends NutshellError {
  /** The layer that rejected the argument. */
  readonly op: string;
  /** The argument's name (`units`, `dropout`, ...). */
  readonly argument: string;
  constructor(op: string, argument: string, expected: string, actual: unknown) {
    super(`${op}: ${argument} must be ${expected}, got ${JSON.stringify(actual)}.`);
    this.op = op;
    this.argument = argument;
  }
}

/**
 * An `Embedding` was given an id it has no row for: below 0, at or above `inputDim`, or not an integer.
 * The message names the layer, the first bad id, where it was and the valid range.
 * @public
 */
export class EmbeddingIndexError extends NutshellError {
  /** The first offending id. */
  readonly id: number;
  /** Its flat position in the input. */
  readonly position: number;
  constructor(op: string, id: number, position: number, inputDim: number) {
    const what = Number.isInteger(id) ? `out of range [0, ${inputDim - 1}]` : 'not an integer';
    super(
      `${op}: id ${id} at flat position ${position} is ${what}; ids must be integers in [0, ${inputDim - 1}].`,
    );
    this.id = id;
    this.position = position;
  }
}

/**
 * Weights handed to an import function (`importKerasLstm`, `importPytorchGru`, ...) do not have the layout that
 * framework writes for this layer: a missing tensor or one of the wrong shape. The message names the layer, the
 * tensor, the expected and the actual shape.
 * @public
 */
export class WeightLayoutError extends NutshellError {
  /** The tensor's name in the source framework (`weight_ih_l0`, `recurrent_kernel`, ...). */
  readonly tensor: string;
  constructor(
    op: string,
    tensor: string,
    expected: readonly number[],
    actual: readonly number[] | undefined,
    layout: string,
  ) {
    super(
      `${op}: ${layout} tensor '${tensor}' must have shape [${expected.join(', ')}], ` +
        `got ${actual ? `[${actual.join(', ')}]` : 'nothing'}.`,
    );
    this.tensor = tensor;
  }
}
