import { existsSync } from 'node:fs';
import { ArrayDataset } from '@nutshell/datasets';
import { saveModel } from '@nutshell/layers';
import { ProgressLogger, Trainer, formatDuration, resumePoint } from '@nutshell/train';
import type { OptimizerName } from '@nutshell/train';
import { selectBackend } from '../backend.js';
import { UsageError } from '../errors.js';
import { getRecipe } from '../recipes/index.js';
import { MetricsCsv, defaultRunDir, hasCheckpoint, readConfig, runPaths, writeConfig } from '../runDir.js';
import type { RunConfig } from '../runDir.js';
import { formatTestMetrics, testMetrics } from '../testMetrics.js';
import { writeFileSync } from 'node:fs';
import { tf } from '@nutshell/tensor';
import { RunReporter } from '@nutshell/viz';
import { lockRunFolder } from '../runFolderLock.js';
import { readHistory } from './visualize.js';
import { lstmGateFigures } from '../lstmGates.js';

/** The flags of `nutshell train`. */
export interface TrainFlags {
  readonly backend: string;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly lr?: number;
  readonly seed: number;
  readonly out?: string;
  readonly resume?: string | boolean;
  readonly limit?: number;
  readonly checkpointEvery?: number;
  readonly tensorboard?: boolean;
}

/** Where the command writes: normal output, and whether stdout is a terminal (live bar) or not (log lines). */
export interface Output {
  readonly log: (line: string) => void;
  readonly tty: boolean;
}

/** Works out the run folder and settings: a new run from the recipe's defaults and the flags, or a run to resume. */
function plan(recipeName: string, flags: TrainFlags): { dir: string; config: RunConfig; resume: boolean } {
  const recipe = getRecipe(recipeName);
  if (flags.resume) {
    const dir = typeof flags.resume === 'string' ? flags.resume : flags.out;
    if (!dir)
      throw new UsageError(
        '--resume needs the run folder: --resume <run dir> (or --out <run dir> --resume).',
      );
    if (!existsSync(dir)) throw new UsageError(`cannot resume: run folder '${dir}' does not exist.`);
    const saved = readConfig(dir);
    if (saved.recipe !== recipe.name) {
      throw new UsageError(`cannot resume: '${dir}' is a ${saved.recipe} run, not ${recipe.name}.`);
    }
    for (const [flag, given, kept] of [
      ['--batch-size', flags.batchSize, saved.batchSize],
      ['--lr', flags.lr, saved.lr],
      ['--limit', flags.limit, saved.limit],
    ] as const) {
      if (given !== undefined && given !== kept)
        throw new UsageError(
          `cannot resume with ${flag} ${given}: the run used ${kept}; only --epochs may change.`,
        );
    }
    // A run killed after config.json but before its first checkpoint has nothing to resume: it starts again.
    return {
      dir,
      config: {
        ...saved,
        epochs: flags.epochs ?? saved.epochs,
        backend: flags.backend,
        checkpointEvery: flags.checkpointEvery ?? saved.checkpointEvery,
      },
      resume: hasCheckpoint(dir),
    };
  }
  const dir = flags.out ?? defaultRunDir(recipe.name);
  if (existsSync(runPaths(dir).config)) {
    throw new UsageError(
      `'${dir}' already holds a run: continue it with --resume ${dir}, or choose another --out.`,
    );
  }
  return {
    dir,
    resume: false,
    config: {
      recipe: recipe.name,
      epochs: flags.epochs ?? recipe.defaults.epochs,
      batchSize: flags.batchSize ?? recipe.defaults.batchSize,
      lr: flags.lr ?? recipe.defaults.lr,
      optimizer: recipe.defaults.optimizer,
      seed: flags.seed,
      limit: flags.limit,
      backend: flags.backend,
      createdAt: new Date().toISOString(),
      checkpointEvery: flags.checkpointEvery,
    },
  };
}

/**
 * `nutshell train <recipe>`: loads the recipe's data, builds its model, trains with a live progress display,
 * checkpoints into the run folder, then prints the test metrics and saves the model. The run folder is locked
 * while it runs (see runLock.ts).
 */
export async function trainCommand(recipeName: string, flags: TrainFlags, out: Output): Promise<void> {
  const { dir, lock } = lockRunFolder(recipeName, flags, out);
  try {
    await train(recipeName, flags.resume ? flags : { ...flags, out: dir }, out);
  } finally {
    lock.release();
  }
}

async function train(recipeName: string, flags: TrainFlags, out: Output): Promise<void> {
  const started = performance.now();
  const { dir, config, resume } = plan(recipeName, flags);
  const wasStarted = flags.resume && !resume;
  // The log must agree with the checkpoint the Trainer resumes from (it may fall back to an older one).
  const point = resume ? await resumePoint(runPaths(dir).checkpoints) : undefined;
  new MetricsCsv(runPaths(dir).metrics).truncateAfter(point?.epoch ?? 0);
  const recipe = getRecipe(config.recipe);
  await selectBackend(flags.backend, out.log);

  const data = recipe.load({ limit: config.limit, seed: config.seed });
  const opts = { target: recipe.target, shape: recipe.sampleShape };
  const train = new ArrayDataset(data.train, opts);
  const test = new ArrayDataset(data.test, opts);
  out.log(`recipe: ${recipe.name} — ${recipe.summary}`);
  out.log(
    `data: ${train.size.toLocaleString('en-US')} training / ${test.size.toLocaleString('en-US')} test samples; ` +
      `${config.epochs} epoch(s), batch ${config.batchSize}, ${config.optimizer} lr ${config.lr}, seed ${config.seed}`,
  );
  const paths = runPaths(dir);
  // A resume rewrites config.json only once the Trainer has accepted the checkpoint (see fitStart below).
  if (!resume) writeConfig(dir, { ...config, scaler: data.scaler });
  out.log(
    `run folder: ${dir}${resume ? ' (resuming from its last checkpoint)' : wasStarted ? ' (no checkpoint yet: starting the run again from the beginning)' : ''}`,
  );

  const model = recipe.buildModel(config.seed);
  const trainer = new Trainer(model, {
    loss: recipe.loss(),
    optimizer: config.optimizer as OptimizerName,
    learningRate: config.lr,
    metrics: ['accuracy'],
    seed: config.seed,
  });

  // report.html in the run folder (@nutshell/viz), written at each epoch end but the last and at the fit's end:
  // curves, confusion matrix on up to 1,000 test samples, gradient flow, network, filters, feature maps of 3 test
  // samples, an LSTM's gates.
  const evalN = Math.min(1000, test.size);
  const evalData = test.gather(Array.from({ length: evalN }, (_, i) => i));
  const examples = tf.slice(evalData.x, 0, Math.min(3, evalN));
  const reporter = new RunReporter(dir, {
    title: `${recipe.name} — ${dir}`,
    model,
    examples,
    featureMapExamples: 3,
    evaluationData: { x: evalData.x, y: data.test.y.subarray(0, evalN) },
    classNames: data.test.classNames,
    facts: {
      recipe: recipe.name,
      optimizer: config.optimizer,
      lr: config.lr,
      'batch size': config.batchSize,
      seed: config.seed,
    },
    initialHistory: resume ? readHistory(dir, { optional: true }) : undefined,
    moreFigures: lstmGateFigures(model, examples),
  });
  // Redrawn at each epoch end but the last, which the fit's end draws once; flush() in finally writes it after a failure too.
  reporter.attach(trainer);

  // The progress display is @nutshell/train's: a live bar on a terminal, about ten plain lines per epoch otherwise.
  const progress = new ProgressLogger({ mode: out.tty ? 'bar' : 'lines', log: out.log });
  const csv = new MetricsCsv(paths.metrics);
  trainer.on('epochEnd', (e) => {
    csv.append({ epoch: e.epoch + 1, ...e.logs, lr: e.lr, seconds: Number(e.seconds.toFixed(3)) });
  });
  trainer.on('warning', (e) => out.log(`warning: ${e.message}`));
  if (resume) trainer.on('fitStart', () => writeConfig(dir, { ...config, scaler: data.scaler }));

  // MNIST samples are 28×28 images (flattened for mnist-mlp): TensorBoard then draws an MLP's first layer too.
  const imageShape = recipe.name.startsWith('mnist') ? ([28, 28, 1] as const) : undefined;
  const tensorboard = flags.tensorboard
    ? // Loaded only when asked for: @nutshell/tensorboard costs about 50 ms of every run's start otherwise.
      (await import('../tensorboardCallback.js')).tensorboardCallback(dir, train, recipe.loss(), imageShape)
    : undefined;
  if (tensorboard)
    out.log(
      `tensorboard: ${tensorboard.callback.writer.path} (view with: tensorboard --logdir ${tensorboard.logDir})`,
    );

  const fitStart = performance.now();
  try {
    await trainer.fit(train, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      shuffle: true,
      seed: config.seed,
      resume: resume ? paths.checkpoints : undefined,
      checkpoint: { to: paths.checkpoints, everySteps: config.checkpointEvery ?? 200, keep: 2 },
      // ArrayDataset has already checked every row (finite features, labels in range).
      checkData: false,
      trackGradientNorms: true,
      callbacks: tensorboard ? [progress, tensorboard.callback] : [progress],
    });
  } finally {
    progress.stopBar();
    await reporter.flush();
    tf.dispose([evalData.x, evalData.y, examples]);
    tensorboard?.dispose();
  }
  out.log(`report: ${runPaths(dir).dir}/report.html`);
  const trainSeconds = (performance.now() - fitStart) / 1000;

  await saveModel(model, paths.model);
  const metrics = await testMetrics(trainer, model, test);
  writeFileSync(paths.testMetrics, `${JSON.stringify({ ...metrics, trainSeconds }, null, 2)}\n`);
  out.log('');
  out.log(formatTestMetrics(metrics, data.test.classNames));
  out.log('');
  if (recipe.explain) {
    for (const line of await recipe.explain(model)) out.log(line);
    out.log('');
  }
  out.log(
    `trained in ${formatDuration(trainSeconds)}, total ${formatDuration((performance.now() - started) / 1000)}; model, metrics and checkpoints in ${dir}`,
  );
  trainer.dispose();
  model.dispose();
}
