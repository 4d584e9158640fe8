/**
 * The recipes' names and one-line summaries, without their code: `--help` and argument checking read this, so
 * they answer without loading the tensor engine.
 */
export const RECIPE_SUMMARIES = {
  'logreg-cancer': 'logistic regression on the breast-cancer set (569 × 30, malignant vs benign)',
  'mnist-mlp': 'MLP 784-128-10 (ReLU) on MNIST',
  'mnist-cnn': 'LeNet-shaped CNN (conv 5×5×16, pool, conv 5×5×32, pool, dense 10) on MNIST',
  'mnist-inception': 'small Inception network (parallel 1×1, 3×3, 5×5 and pooling branches) on MNIST',
  'mnist-lstm': 'LSTM of 128 units reading each MNIST image row by row (28 steps of 28 pixels)',
} as const;

/** A recipe name. */
export type RecipeName = keyof typeof RECIPE_SUMMARIES;

/** Every recipe name, in the order `--help` lists them. */
export const RECIPE_NAMES = Object.keys(RECIPE_SUMMARIES) as RecipeName[];
