import { tf } from '@nutshell/tensor';
import type { RunReportInput } from '../runReport.js';
import { tinyCnn } from './tinyCnn.js';

/** A small but complete run: history, model, examples, evaluation and gradient norms. Call `dispose` afterwards. */
export function sampleRun(): { input: RunReportInput; dispose(): void } {
  const model = tinyCnn();
  const examples = tf.tidy(() =>
    tf.stack([0, 1, 2].map((s) => tf.concat([tf.zeros([8, 4, 1]), tf.fill([8, 4, 1], s + 1)], 1))),
  );
  const input: RunReportInput = {
    title: 'Sample run',
    history: {
      epochs: [1, 2, 3],
      logs: {
        loss: [1, 0.6, 0.4],
        val_loss: [1.1, 0.7, 0.55],
        accuracy: [0.5, 0.7, 0.8],
        val_accuracy: [0.45, 0.65, 0.75],
        lr: [0.1, 0.1, 0.05],
      },
    },
    model,
    examples,
    evaluation: { labels: [0, 1, 2, 2, 1, 0], predictions: [0, 1, 2, 1, 1, 0] },
    gradientNorms: [0, 1, 2].map((step) => ({
      step,
      gradNorms: { 'tiny_conv/kernel': 0.01 * (step + 1), 'tiny_dense/kernel': 0.1 },
    })),
    classNames: ['zero', 'one', 'two'],
    facts: { backend: 'cpu', optimizer: 'sgd' },
  };
  return {
    input,
    dispose() {
      examples.dispose();
      model.dispose();
    },
  };
}
