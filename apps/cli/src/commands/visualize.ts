import { existsSync, readFileSync } from 'node:fs';
import { ArrayDataset } from '@nutshell/datasets';
import { loadModel } from '@nutshell/layers';
import { tf, type Tensor } from '@nutshell/tensor';
import { visualizeRun } from '@nutshell/viz';
import { lstmGateFigures } from '../lstmGates.js';
import { selectBackend } from '../backend.js';
import { UsageError } from '../errors.js';
import { getRecipe } from '../recipes/index.js';
import { readConfig, runPaths } from '../runDir.js';
import type { Output } from './train.js';

/** A run's history read back from metrics.csv: `epochs` (0-based, like the Trainer's) and one series per column. */
export function readHistory(
  dir: string,
  opts: { optional?: boolean } = {},
): { epochs: number[]; logs: Record<string, number[]> } {
  const path = runPaths(dir).metrics;
  if (!existsSync(path)) {
    if (opts.optional) return { epochs: [], logs: {} };
    throw new UsageError(`${path} does not exist: the run has not finished an epoch yet.`);
  }
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const columns = (head ?? '').split(',');
  const history = { epochs: [] as number[], logs: {} as Record<string, number[]> };
  for (const row of rows) {
    const cells = row.split(',');
    columns.forEach((c, i) => {
      const v = cells[i] === '' || cells[i] === undefined ? NaN : Number(cells[i]);
      if (c === 'epoch') history.epochs.push(v - 1);
      else if (c !== 'seconds') (history.logs[c] ??= []).push(v);
    });
  }
  return history;
}

/** Predicted class per row: arg-max of the logits, or logit > 0 for a single-output (binary) model. */
export async function predictedLabels(logits: Tensor): Promise<Int32Array> {
  const labels = tf.tidy(() =>
    logits.shape[1] === 1 ? tf.cast(tf.greater(tf.reshape(logits, [-1]), 0), 'int32') : tf.argMax(logits, 1),
  );
  const out = Int32Array.from((await labels.data()) as Int32Array);
  labels.dispose();
  return out;
}

/**
 * `nutshell visualize <run dir>`: loads the saved model and writes every picture of the run — training curves,
 * confusion matrix, per-class accuracy, network diagram, filters of each convolution layer, feature maps of a few
 * test samples — as SVG and PNG into `<run dir>/visualize/`, with a self-contained report.html.
 */
export async function visualizeCommand(
  dir: string,
  flags: { backend: string; limit: number; examples: number },
  out: Output,
): Promise<void> {
  const config = readConfig(dir);
  const recipe = getRecipe(config.recipe);
  await selectBackend(flags.backend, out.log);
  const history = readHistory(dir);
  const model = await loadModel(runPaths(dir).model);
  const data = recipe.loadTest({ limit: flags.limit, seed: config.seed, scaler: config.scaler });
  const test = new ArrayDataset(data, { target: recipe.target, shape: recipe.sampleShape });
  const { x, y } = test.gather(Array.from({ length: test.size }, (_, i) => i));
  y.dispose();
  const logits = model.predict(x, { batchSize: 256 });
  const predictions = await predictedLabels(logits);
  logits.dispose();
  const examples = tf.slice(x, 0, Math.min(flags.examples, test.size));
  try {
    const files = await visualizeRun(dir, {
      title: `${recipe.name}: ${dir}`,
      history,
      model,
      examples,
      featureMapExamples: flags.examples,
      evaluation: { labels: data.y, predictions },
      classNames: data.classNames,
      moreFigures: lstmGateFigures(model, examples),
      facts: {
        recipe: recipe.name,
        epochs: config.epochs,
        'batch size': config.batchSize,
        optimizer: config.optimizer,
        lr: config.lr,
        seed: config.seed,
        'test samples': test.size,
      },
    });
    out.log(`wrote ${files.length} files to ${runPaths(dir).dir}/visualize (open report.html)`);
  } finally {
    tf.dispose([x, examples]);
    model.dispose();
  }
}
