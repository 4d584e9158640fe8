import { readFileSync } from 'node:fs';
import { Argument, Command, CommanderError, Option } from 'commander';
import type { TrainFlags } from './commands/train.js';
import { UsageError } from './errors.js';
import { cliBackendNames } from './backendNames.js';
import { nonNegativeInt, positiveInt, positiveNumber } from './options.js';
import { RECIPE_NAMES, RECIPE_SUMMARIES } from './recipes/catalog.js';

// The commands (and with them the tensor engine) load only when one runs, so --help and usage errors are instant.

/** Where the CLI writes, and whether stdout is a terminal. Tests pass their own. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly tty: boolean;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  tty: Boolean(process.stdout.isTTY),
};

const backendOption = () =>
  new Option(
    '--backend <name>',
    `backend to compute on: auto (the fastest usable one), ${cliBackendNames().join(', ')} (any case)`,
  )
    .default('auto')
    .env('NUTSHELL_BACKEND');

function program(io: Io): Command {
  const log = (line: string) => io.out(`${line}\n`);
  const output = { log, tty: io.tty };
  const recipeList = RECIPE_NAMES.map((name) => `  ${name.padEnd(16)} ${RECIPE_SUMMARIES[name]}`).join('\n');

  const root = new Command('nutshell')
    .description('Nutshell: train, evaluate and use small deep-learning models from the command line.')
    .version(cliVersion())
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showSuggestionAfterError(true)
    .exitOverride();

  root
    .command('train')
    .description(
      'train a recipe; writes a run folder with config, metrics CSV, checkpoints and the saved model',
    )
    .addArgument(new Argument('<recipe>', 'what to train').choices(RECIPE_NAMES))
    .addOption(backendOption())
    .option('--epochs <n>', "epochs to train (default: the recipe's)", positiveInt)
    .option('--batch-size <n>', "samples per step (default: the recipe's)", positiveInt)
    .option('--lr <rate>', "learning rate (default: the recipe's)", positiveNumber)
    .option('--seed <n>', 'seed for weights, data split and shuffling', nonNegativeInt, 0)
    .option('--out <dir>', 'run folder (default: runs/<recipe>-<timestamp>)')
    .option('--resume [dir]', 'continue the run in this folder (or --out) from its last checkpoint')
    .option('--limit <n>', 'use only the first n training samples (and at most n test samples)', positiveInt)
    .option(
      '--checkpoint-every <steps>',
      "write a checkpoint every this many steps (and at each epoch end); default 200, a resume keeps the run's",
      positiveInt,
    )
    .option(
      '--tensorboard',
      'also write TensorBoard logs into <run dir>/tensorboard (tensorboard --logdir <run dir>)',
    )
    .addHelpText('after', `\nRecipes:\n${recipeList}\n\nExample:\n  nutshell train mnist-cnn --epochs 1`)
    .action(async (recipe: string, flags: TrainFlags) =>
      (await import('./commands/train.js')).trainCommand(recipe, flags, output),
    );

  root
    .command('evaluate')
    .description(
      "report a trained run's test metrics (accuracy, loss, precision, recall, F1, confusion matrix)",
    )
    .argument('<run-dir>', 'a folder written by nutshell train')
    .addOption(backendOption())
    .option('--limit <n>', 'evaluate on the first n test samples only', positiveInt)
    .action(async (dir: string, flags: { backend: string; limit?: number }) =>
      (await import('./commands/evaluate.js')).evaluateCommand(dir, flags, output),
    );

  root
    .command('visualize')
    .description(
      'draw a trained run: curves, confusion matrix, network, filters and feature maps as SVG + PNG in <run-dir>/visualize',
    )
    .argument('<run-dir>', 'a folder written by nutshell train')
    .addOption(backendOption())
    .option('--limit <n>', 'test samples for the confusion matrix', positiveInt, 2000)
    .option('--examples <n>', 'test samples to draw feature maps for', positiveInt, 3)
    .action(async (dir: string, flags: { backend: string; limit: number; examples: number }) =>
      (await import('./commands/visualize.js')).visualizeCommand(dir, flags, output),
    );

  root
    .command('predict')
    .description(
      "predict with a trained run's model: a PNG image of a digit, CSV rows of features, or an IDX file of samples",
    )
    .argument('<run-dir>', 'a folder written by nutshell train')
    .argument(
      '<input>',
      'a .png image (MNIST recipes), a .csv file of raw feature rows (header optional), or an IDX file (.idx, idx3-ubyte, .gz, ...)',
    )
    .addOption(backendOption())
    .option('--top <k>', 'how many classes to list per sample', positiveInt, 3)
    .action(async (dir: string, input: string, flags: { backend: string; top: number }) =>
      (await import('./commands/predict.js')).predictCommand(dir, input, flags, output),
    );

  root
    .command('export')
    .description(
      "write a trained run's model for another engine: ONNX (opset 17) for ONNX Runtime, with its input preprocessing beside it",
    )
    .argument('<run-dir>', 'a folder written by nutshell train')
    .requiredOption('--format <format>', 'what to write: onnx')
    .option('--out <file>', 'where to write it (default: <run-dir>/model.onnx)')
    .addHelpText('after', '\nExample:\n  nutshell export runs/mnist-cnn-20261205-120000Z --format onnx')
    .action(async (dir: string, flags: { format: string; out?: string }) =>
      (await import('./commands/export.js')).exportCommand(dir, flags, output),
    );

  root
    .command('backends')
    .description("list every backend plugin, whether it can run here and why, and which one 'auto' picks")
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) =>
      (await import('./commands/backends.js')).backendsCommand(flags, log),
    );

  return root;
}

/**
 * Runs the CLI on `argv` (without node and the script) and returns the exit code: 0 on success, 2 for a bad
 * flag, value, recipe, backend or run folder (one-line error), 1 for any other failure.
 */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const root = program(io);
  try {
    await root.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; commander has already printed its one-line error otherwise.
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`nutshell: error: ${e.message}\n`);
      return 2;
    }
    // A file or folder that is not what the command needs (--out naming a file, a run without model/, an
    // unreadable checkpoint) is the caller's to fix: one line, exit code 2, like a usage error.
    const { FileError } = await import('@nutshell/tensor');
    const { CheckpointError } = await import('@nutshell/train');
    if (e instanceof FileError || e instanceof CheckpointError) {
      io.err(`nutshell: error: ${e.message}\n`);
      return 2;
    }
    const { NutshellError } = await import('@nutshell/backend');
    if (e instanceof NutshellError) {
      io.err(`nutshell: ${e.name}: ${e.message}\n`);
      return 1;
    }
    io.err(`nutshell: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

/** The CLI's version, from its package.json (kept current by `changeset version`). */
function cliVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
}
