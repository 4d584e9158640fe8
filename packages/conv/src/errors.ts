import { NutshellError } from '@nutshell/tensor';

/**
 * A convolution or pooling argument that is not a shape was out of range: a stride or dilation below 1, a
 * group count that does not divide the channels, an unknown padding or algorithm name. The message names the
 * op, the argument, what was expected and what was given.
 * @public
 */
export class ConvArgumentError extends NutshellError {
  /** The op or layer that rejected the argument. */
  readonly op: string;
  /** The argument's name (`strides`, `dilations`, `groups`, `padding`, ...). */
  readonly argument: string;
  constructor(op: string, argument: string, expected: string, actual: unknown) {
    super(`${op}: ${argument} must be ${expected}, got ${JSON.stringify(actual)}.`);
    this.op = op;
    this.argument = argument;
  }
}

/**
 * A convolution algorithm was asked for a problem it cannot compute, e.g. Winograd F(2×2, 3×3) on a 5×5
 * kernel or with stride 2. The message names the algorithm, the input and kernel shapes and what it needs.
 * @public
 */
export class UnsupportedAlgorithmError extends NutshellError {
  /** The algorithm that was asked for. */
  readonly algorithm: string;
  /** The input shape. */
  readonly inputShape: readonly number[];
  /** The kernel shape. */
  readonly kernelShape: readonly number[];
  constructor(algorithm: string, inputShape: readonly number[], kernelShape: readonly number[], needs: string) {
    super(
      `conv2d: algorithm '${algorithm}' cannot compute input [${inputShape.join(', ')}] with kernel ` +
        `[${kernelShape.join(', ')}]: it needs ${needs}.`,
    );
    this.algorithm = algorithm;
    this.inputShape = [...inputShape];
    this.kernelShape = [...kernelShape];
  }
}
