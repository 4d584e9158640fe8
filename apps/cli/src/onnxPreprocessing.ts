// What a run's exported model expects as input and gives as output, in words a user of the ONNX file can follow
// without Nutshell: the same steps `nutshell predict` applies before the model.
import type { Recipe } from './recipes/recipe.js';
import type { RunConfig } from './runDir.js';

/** The Markdown written beside `model.onnx` (and stored as its doc string). */
export function describeOnnxInputs(recipe: Recipe, config: RunConfig, file: string): string {
  const shape = `[batch, ${recipe.sampleShape.join(', ')}]`;
  const lines = [
    `# ${file}: the model of a \`nutshell train ${recipe.name}\` run`,
    '',
    `Recipe: ${recipe.name} (${recipe.summary}). Trained ${config.epochs} epoch(s), seed ${config.seed}.`,
    '',
    '## Input',
    '',
    `One float32 tensor named \`input\`, shape \`${shape}\` (the batch size is free)${recipe.sampleShape.length === 3 ? ', channels last (NHWC)' : ''}.`,
    '',
  ];
  if (recipe.name.startsWith('mnist')) {
    lines.push(
      'Each sample is a 28×28 grey image, row by row, white digit on black as in MNIST: every pixel byte',
      'divided by 255, so values lie in [0, 1]. No mean or variance normalisation.',
    );
  }
  if (config.scaler) {
    const { kind, a, b } = config.scaler;
    lines.push(
      `Each of the ${a.length} features is scaled with the training set's statistics (${kind}):`,
      '`x[i] = (raw[i] - a[i]) / b[i]`, with',
      '',
      '```json',
      JSON.stringify({ a, b }),
      '```',
    );
  }
  lines.push('', '## Output', '');
  if (recipe.name === 'logreg-cancer') {
    lines.push(
      'One float32 tensor named `output`, shape `[batch, 1]`: a logit. sigmoid(logit) is the probability that',
      'the tumour is benign (class 1); class 0 is malignant.',
    );
  } else {
    lines.push(
      'One float32 tensor named `output`, shape `[batch, 10]`: logits. softmax over the last axis gives the',
      'probability of each digit 0 to 9.',
    );
  }
  return `${lines.join('\n')}\n`;
}
