import { extname } from 'node:path';
import { tf } from '@nutshell/tensor';
import { Standardizer, readCsv, readIdx, rowSize } from '@nutshell/datasets';
import { loadModel } from '@nutshell/layers';
import { selectBackend } from '../backend.js';
import { UsageError } from '../errors.js';
import { idxSampleCount } from '../idxSamples.js';
import { readDigitPng } from '../image.js';
import { getRecipe } from '../recipes/index.js';
import type { Recipe } from '../recipes/index.js';
import { readConfig, runPaths } from '../runDir.js';
import type { RunConfig } from '../runDir.js';
import type { Output } from './train.js';

/**
 * Reads CSV rows of raw feature values, one sample a row (a first row that is not all numbers is a header).
 * MNIST pixels are 0–255 as in the IDX files.
 */
function readCsvRows(path: string, recipe: Recipe, width: number): { x: Float32Array; n: number } {
  const { rows } = readCsv(path);
  const isNumber = (f: string) => f.trim() !== '' && Number.isFinite(Number(f));
  const data = rows.length > 0 && !rows[0].every(isNumber) ? rows.slice(1) : rows;
  if (data.length === 0)
    throw new UsageError(`${path}: no data rows; ${recipe.name} takes ${recipe.inputs}.`);
  const x = new Float32Array(data.length * width);
  data.forEach((row, i) => {
    if (row.length !== width) {
      throw new UsageError(
        `${path}: data row ${i + 1} has ${row.length} values, but ${recipe.name} takes ${width} per sample.`,
      );
    }
    row.forEach((f, j) => {
      if (!isNumber(f))
        throw new UsageError(`${path}: data row ${i + 1}, column ${j + 1} is '${f}', not a number.`);
      x[i * width + j] = Number(f);
    });
  });
  return { x, n: data.length };
}

/** Reads the samples to predict: a PNG (one MNIST-style image), CSV rows, or an IDX file of one or more samples. */
function readInputs(path: string, recipe: Recipe, config: RunConfig): { x: Float32Array; n: number } {
  const width = rowSize(recipe.sampleShape);
  const isMnist = recipe.name.startsWith('mnist');
  const ext = extname(path.replace(/\.gz$/i, '')).toLowerCase();
  if (ext === '.png') {
    if (!isMnist) throw new UsageError(`${recipe.name} takes ${recipe.inputs}, not a PNG.`);
    return { x: readDigitPng(path, 28), n: 1 };
  }
  if (ext === '.csv') {
    const rows = readCsvRows(path, recipe, width);
    const n = rows.n;
    let x = isMnist ? rows.x.map((v) => v / 255) : rows.x;
    if (config.scaler) x = Standardizer.fromJSON(config.scaler).transform({ x, featureShape: [width] }).x;
    return { x, n };
  }
  const idx = readIdx(path);
  // MNIST recipes take 28×28 images whatever shape their model reads them in ([784], [28, 28, 1]).
  const n = idxSampleCount(idx.dims, isMnist ? [28, 28] : recipe.sampleShape);
  if (n === undefined) {
    throw new UsageError(
      `${path}: holds [${idx.dims.join(', ')}], but ${recipe.name} takes ${recipe.inputs} (one sample of shape [${recipe.sampleShape.join(', ')}], or [n, ...] rows of them).`,
    );
  }
  let x = Float32Array.from(idx.data as ArrayLike<number>);
  if (isMnist && idx.dtype === 'ubyte') x = x.map((v) => v / 255);
  if (config.scaler) x = Standardizer.fromJSON(config.scaler).transform({ x, featureShape: [width] }).x;
  return { x, n };
}

/** `nutshell predict <run dir> <input>`: the predicted class of each sample, with its probability and the runners-up. */
export async function predictCommand(
  dir: string,
  input: string,
  flags: { backend: string; top: number },
  out: Output,
): Promise<void> {
  const config = readConfig(dir);
  const recipe = getRecipe(config.recipe);
  const { x, n } = readInputs(input, recipe, config);
  await selectBackend(flags.backend, out.log);
  const model = await loadModel(runPaths(dir).model);
  const probs = tf.tidy(() => {
    const logits = model.apply(tf.tensor(x, [n, ...recipe.sampleShape]), { training: false });
    if (logits.shape[1] === 1) {
      const p = tf.sigmoid(logits);
      return tf.concat([tf.sub(1, p), p], 1);
    }
    return tf.softmax(logits);
  });
  const values = (await probs.data()) as Float32Array;
  probs.dispose();
  model.dispose();
  const k = values.length / n;
  const names =
    recipe.name === 'logreg-cancer'
      ? ['malignant', 'benign']
      : Array.from({ length: k }, (_, c) => String(c));
  for (let i = 0; i < n; i++) {
    const row = Array.from(values.subarray(i * k, (i + 1) * k), (p, c) => ({ c, p })).sort(
      (a, b) => b.p - a.p,
    );
    const top = row.slice(0, Math.min(flags.top, k)).map((r) => `${names[r.c]} ${(r.p * 100).toFixed(1)}%`);
    out.log(`${n > 1 ? `${i}: ` : ''}${names[row[0].c]}  (${top.join(', ')})`);
  }
}
