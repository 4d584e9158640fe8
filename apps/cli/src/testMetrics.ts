import { tf } from '@nutshell/tensor';
import type { ArrayDataset } from '@nutshell/datasets';
import { batchIndices } from '@nutshell/datasets';
import type { ModelLike } from '@nutshell/layers';
import { accuracyScore, confusionMatrix, f1Score, precision, recall } from '@nutshell/train';
import type { Trainer } from '@nutshell/train';
import { formatTable } from './table.js';

/** The final test figures of a run. */
export interface TestMetrics {
  readonly samples: number;
  readonly loss: number;
  readonly accuracy: number;
  /** Macro averages over the classes. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly confusion: number[][];
}

/** The predicted class of every sample, in order: argmax of the logits, or logit > 0 for one output. */
export async function predictClasses(
  model: ModelLike,
  data: ArrayDataset,
  batchSize = 500,
): Promise<Int32Array> {
  const out = new Int32Array(data.size);
  let at = 0;
  for (const idx of batchIndices(data.size, batchSize)) {
    const { x, y } = data.gather(idx);
    const classes = tf.tidy(() => {
      const logits = model.apply(x, { training: false });
      return logits.shape[logits.shape.length - 1] === 1
        ? tf.cast(tf.greater(tf.reshape(logits, [-1]), 0), 'int32')
        : tf.argMax(logits, -1);
    });
    out.set(await classes.data(), at);
    at += idx.length;
    tf.dispose([x, y, classes]);
  }
  return out;
}

/** Loss and accuracy from the Trainer, precision / recall / F1 (macro) and the confusion matrix from predictions. */
export async function testMetrics(
  trainer: Trainer,
  model: ModelLike,
  test: ArrayDataset,
): Promise<TestMetrics> {
  const logs = await trainer.evaluate(test, { batchSize: 500 });
  const predicted = await predictClasses(model, test);
  const labels = test.data.y;
  const k = Math.max(2, test.numClasses);
  const opts = { numClasses: k, average: 'macro' as const };
  return {
    samples: test.size,
    loss: logs.loss,
    accuracy: accuracyScore(labels, predicted),
    precision: precision(labels, predicted, opts),
    recall: recall(labels, predicted, opts),
    f1: f1Score(labels, predicted, opts),
    confusion: confusionMatrix(labels, predicted, k),
  };
}

/** The final table of test metrics, and the confusion matrix under it. */
export function formatTestMetrics(m: TestMetrics, classNames?: readonly string[]): string {
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  const table = formatTable(
    ['test metric', 'value'],
    [
      ['samples', m.samples.toLocaleString('en-US')],
      ['loss', m.loss.toFixed(4)],
      ['accuracy', pct(m.accuracy)],
      ['precision (macro)', pct(m.precision)],
      ['recall (macro)', pct(m.recall)],
      ['F1 (macro)', pct(m.f1)],
    ],
  );
  const names = m.confusion.map((_, c) => classNames?.[c] ?? String(c));
  const confusion = formatTable(
    ['true \\ predicted', ...names],
    m.confusion.map((row, c) => [names[c], ...row.map(String)]),
  );
  return `${table}\n\nconfusion matrix (rows: true class, columns: predicted)\n${confusion}`;
}
