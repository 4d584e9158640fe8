import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadModel } from '@nutshell/layers';
import { exportOnnx } from '@nutshell/onnx';
import { UsageError } from '../errors.js';
import { describeOnnxInputs } from '../onnxPreprocessing.js';
import { getRecipe } from '../recipes/index.js';
import { readConfig, runPaths } from '../runDir.js';
import type { Output } from './train.js';

/** The formats `nutshell export` writes. */
export const EXPORT_FORMATS = ['onnx'] as const;

/**
 * `nutshell export <run dir> --format onnx [--out file]`: writes the run's model as ONNX (default
 * `<run dir>/model.onnx`) and, beside it, `<file>.md` saying how inputs are preprocessed and what the output means.
 */
export async function exportCommand(
  dir: string,
  flags: { format: string; out?: string },
  out: Output,
): Promise<void> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(flags.format)) {
    throw new UsageError(
      `unknown export format '${flags.format}'. Choose one of: ${EXPORT_FORMATS.join(', ')}.`,
    );
  }
  const config = readConfig(dir);
  const recipe = getRecipe(config.recipe);
  const modelDir = runPaths(dir).model;
  if (!existsSync(modelDir))
    throw new UsageError(`${dir} has no saved model (${modelDir}): the run has not finished training.`);
  const file = flags.out ?? join(dir, 'model.onnx');
  if (existsSync(file) && statSync(file).isDirectory())
    throw new UsageError(`--out ${file} is a folder; give a file name such as ${join(file, 'model.onnx')}.`);
  const model = await loadModel(modelDir);
  try {
    const doc = describeOnnxInputs(recipe, config, basename(file));
    const bytes = await exportOnnx(model, {
      docString: doc,
      metadata: { recipe: recipe.name, seed: String(config.seed), epochs: String(config.epochs) },
    });
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    writeFileSync(`${file}.md`, doc);
    out.log(
      `wrote ${file} (ONNX opset 17, ${(bytes.length / 1024).toFixed(1)} KiB); inputs and outputs described in ${file}.md`,
    );
  } finally {
    model.dispose();
  }
}
