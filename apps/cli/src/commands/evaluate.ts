import { ArrayDataset } from '@nutshell/datasets';
import { loadModel } from '@nutshell/layers';
import { Trainer } from '@nutshell/train';
import { selectBackend } from '../backend.js';
import { getRecipe } from '../recipes/index.js';
import { readConfig, runPaths } from '../runDir.js';
import { formatTestMetrics, testMetrics } from '../testMetrics.js';
import type { Output } from './train.js';

/** `nutshell evaluate <run dir>`: loads the saved model and reports its test metrics. */
export async function evaluateCommand(
  dir: string,
  flags: { backend: string; limit?: number },
  out: Output,
): Promise<void> {
  const config = readConfig(dir);
  const recipe = getRecipe(config.recipe);
  await selectBackend(flags.backend, out.log);
  const model = await loadModel(runPaths(dir).model);
  const data = recipe.loadTest({ limit: flags.limit, seed: config.seed, scaler: config.scaler });
  const test = new ArrayDataset(data, { target: recipe.target, shape: recipe.sampleShape });
  const trainer = new Trainer(model, { loss: recipe.loss(), optimizer: 'sgd', metrics: ['accuracy'] });
  out.log(
    `run: ${dir} (${recipe.name}, trained ${config.epochs} epoch(s)); evaluating on ${test.size.toLocaleString('en-US')} test samples`,
  );
  out.log('');
  out.log(formatTestMetrics(await testMetrics(trainer, model, test), data.classNames));
  trainer.dispose();
  model.dispose();
}
