import type { Dataset, ScalerJSON, TargetEncoding } from '@nutshell/datasets';
import type { ModelLike } from '@nutshell/layers';
import type { Loss, OptimizerName } from '@nutshell/train';

/** The training settings a recipe uses unless a flag overrides them. */
export interface RecipeDefaults {
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly optimizer: OptimizerName;
}

/** A recipe's data, ready for training: features already scaled, with the fitted scaler if there is one. */
export interface RecipeData {
  readonly train: Dataset;
  readonly test: Dataset;
  /** The scaler fitted on `train` (saved in the run folder so evaluate and predict apply the same one). */
  readonly scaler?: ScalerJSON;
}

/**
 * A training recipe: which data, which model, which loss, and the defaults that make it train well.
 * `nutshell train <name>` runs it.
 */
export interface Recipe {
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  readonly defaults: RecipeDefaults;
  /** How labels become targets for the loss. */
  readonly target: TargetEncoding;
  /** Shape of one sample as the model takes it. */
  readonly sampleShape: readonly number[];
  /** What `nutshell predict` accepts for it, in words. */
  readonly inputs: string;
  /** Loads and prepares the data; `limit` keeps the first rows of the training set (and of the test set). */
  load(options: { limit?: number; seed: number }): RecipeData;
  /** Test data for `nutshell evaluate`, prepared with the saved scaler. */
  loadTest(options: { limit?: number; seed: number; scaler?: ScalerJSON }): Dataset;
  /** Builds the untrained model, weights from the seed. */
  buildModel(seed: number): ModelLike;
  /** The loss, on the model's logits. */
  loss(): Loss;
  /** Optional: lines that explain the trained model (the logistic regression's coefficients and odds ratios). */
  explain?(model: ModelLike): Promise<string[]>;
}
