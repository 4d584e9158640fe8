/** One runnable example program: its name (`pnpm example <name>`), file and the concept it shows. */
export interface Example {
  readonly name: string;
  readonly file: string;
  readonly concept: string;
  /** Arguments it takes, in words. */
  readonly args?: string;
}

/** Every example program, in the order the README lists them. */
export const EXAMPLES: readonly Example[] = [
  {
    name: 'activation-plots',
    file: 'activation-plots.ts',
    concept: 'units (activation functions) and their derivatives, drawn',
    args: '[output folder]',
  },
  {
    name: 'logistic-regression',
    file: 'logistic-regression.ts',
    concept: 'logistic regression: coefficients, odds ratios and accuracy on breast-cancer data',
  },
  {
    name: 'vanishing-gradient',
    file: 'vanishing-gradient.ts',
    concept: 'the vanishing gradient: sigmoid vs ReLU in deep networks',
  },
  {
    name: 'edge-detection',
    file: 'edge-detection.ts',
    concept: 'convolution with classic kernels (Sobel, Scharr, Laplacian, Gaussian) on a photograph',
    args: '[output folder]',
  },
  {
    name: 'hierarchical-features',
    file: 'hierarchical-features.ts',
    concept: 'what a convolutional network learns on MNIST: filters, feature maps, top activations',
    args: '[--train 20000] [--epochs 3]',
  },
  {
    name: 'long-memory',
    file: 'long-memory.ts',
    concept: 'long memory: LSTM and GRU learn to recall a symbol 200 steps back; a simple RNN fails from 50',
    args: '[--quick] [--lstm-only]',
  },
  {
    name: 'generate-words',
    file: 'generate-words.ts',
    concept: 'a character-level LSTM that makes up English-looking words, sampled at three temperatures',
    args: '[--quick]',
  },
];
