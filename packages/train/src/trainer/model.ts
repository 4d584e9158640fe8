import type { Tensor, Variable } from '@nutshell/tensor';

/** A weight of a model: its name (e.g. `'dense_1/kernel'`), variable and whether training changes it. @public */
export interface ModelWeight {
  /** Unique within the model, e.g. `'dense_1/kernel'`. */
  readonly name: string;
  /** Its values. */
  readonly variable: Variable;
  /** Whether training updates it. */
  readonly trainable?: boolean;
}

/**
 * What the Trainer needs of a model. `@nutshell/layers`' `Sequential` and `Model` (its `ModelLike`) satisfy it;
 * so does any object with a forward pass and named weights.
 * @public
 */
export interface TrainableModel {
  /** Used in messages. */
  readonly name?: string;
  /** Forward pass; the caller owns the result. `training: true` during fit (dropout on, etc.). */
  apply(x: Tensor, options?: { training?: boolean }): Tensor;
  /** Every weight, trainable or not (saved in checkpoints). */
  readonly weights: readonly ModelWeight[];
  /** The weights that training updates. */
  readonly trainableWeights: readonly ModelWeight[];
  /** The sum of the layers' regularization penalties, added to the loss; null when there are none. */
  regularizationLoss?(): Tensor | null;
}
