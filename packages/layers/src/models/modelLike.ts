import type { Tensor, Variable } from '@nutshell/tensor';
import type { ApplyOptions, Layer, LayerWeight } from '../layer.js';
import type { Shape } from '../shape.js';

/** A model's JSON-serialisable config: `{ className: 'Sequential' | 'Model' | ..., name, ... }`. @public */
export interface ModelConfig {
  /** `'Sequential'`, `'Model'` (graph) or a registered model class such as `'LogisticRegression'`. */
  className: string;
  /** The model's name. */
  name: string;
  /** The rest of the description. */
  [key: string]: unknown;
}

/** Options of `predict`. @public */
export interface PredictOptions {
  /** Examples per forward pass (default 32): bounds the memory a large input needs. */
  readonly batchSize?: number;
}

/** One layer's output from `intermediateOutputs`. @public */
export interface LayerOutput {
  /** The layer. */
  readonly layer: Layer;
  /** Its output for the given input; the caller disposes it. */
  readonly output: Tensor;
}

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
 * What training needs of a model: a forward pass and named weights. Declared here once, beside `ModelLike` (which
 * extends it); `@nutshell/train`'s Trainer takes it, so any object with these members trains too.
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

/**
 * What every model (Sequential, graph Model, LogisticRegression) offers: a forward pass, batched prediction,
 * each layer's output, its weights, a summary and a config. Trainers and visualisers code against this.
 * @public
 */
export interface ModelLike extends TrainableModel {
  /** The model's name. */
  readonly name: string;
  /** The layers in order of computation (input placeholders excluded). */
  readonly layers: Layer[];
  /** Forward pass; the caller owns the result. Builds the model from the input's shape if needed. */
  apply(x: Tensor, opts?: ApplyOptions): Tensor;
  /** Inference in batches, inside a memory scope; the caller owns the result. */
  predict(x: Tensor, opts?: PredictOptions): Tensor;
  /** Every layer's output, in computation order (feature maps); the caller disposes them. */
  intermediateOutputs(x: Tensor, opts?: ApplyOptions): LayerOutput[];
  /** Every weight, layer by layer. */
  readonly weights: LayerWeight[];
  /** The weights an optimizer updates. */
  readonly trainableWeights: LayerWeight[];
  /** The number of scalar parameters. */
  countParams(): number;
  /** A table of layer, output shape and parameter count. */
  summary(): string;
  /** The sum of every layer's regularisation penalty, or null when there is none. */
  regularizationLoss(): Tensor | null;
  /** Creates the weights for inputs of `inputShape` (batch dimension first, `null`). */
  build(inputShape: Shape): void;
  /** The input shape, batch dimension `null` first. Throws before the model is built. */
  readonly inputShape: Shape;
  /** The output shape, batch dimension `null` first. Throws before the model is built. */
  readonly outputShape: Shape;
  /** The JSON-serialisable description from which `modelFromConfig` rebuilds it. */
  getConfig(): ModelConfig;
  /** Frees every weight. */
  dispose(): void;
}
